package io.zendeskcrm.collector.deploy;

import java.util.List;

/**
 * Derives the JVM build's SAM template ({@code deploy/jvm/template.yaml}) from the native one
 * ({@code template.yaml}): the same stack, with the function run by the {@code java21} managed
 * runtime with SnapStart, which applies only to published versions, so the schedule invokes the
 * alias {@code live}. Every other line is shared. {@link JvmTemplateTest} fails when the committed
 * file is not what {@link #derive} makes of the native template.
 */
final class JvmTemplate {
    static final String NATIVE = "template.yaml";
    static final String JVM = "deploy/jvm/template.yaml";

    /** Replaces the text {@code find}, which must occur exactly once in the native template. */
    record Edit(String why, String find, String replace) {}

    static final List<Edit> EDITS = List.of(
            new Edit("the description names the build and how to deploy it", """
                      zendesk-crm-collector (native build): a scheduled Lambda that copies Zendesk audit logs and the
                      incremental ticket export into S3 as newline-delimited JSON for a Google SecOps "Amazon S3 V2"
                      feed (log type Zendesk CRM). Build with
                      `./mvnw package -Dnative -Dquarkus.native.container-build=true`, then `sam deploy --guided`.
                      The JVM variant, deploy/jvm/template.yaml, is generated from this file: edit this one only
                      (see deploy/README.md).
                    """, """
                      zendesk-crm-collector (JVM build, java21 with SnapStart): a scheduled Lambda that copies Zendesk
                      audit logs and the incremental ticket export into S3 as newline-delimited JSON for a Google
                      SecOps "Amazon S3 V2" feed (log type Zendesk CRM). Build with `./mvnw package`, then
                      `sam deploy -t deploy/jvm/template.yaml --guided`. Generated from the template.yaml at the
                      repository root, which differs only in the function and what invokes it: edit that one and
                      regenerate this one (see deploy/README.md).
                    """),
            new Edit("the managed java21 runtime with SnapStart instead of the native bootstrap", """
                          Description: Copies Zendesk audit logs and tickets to S3 for Google SecOps (native).
                          Runtime: provided.al2023
                          Handler: not.used.in.provided.runtime
                          CodeUri: target/function.zip
                    """, """
                          Description: Copies Zendesk audit logs and tickets to S3 for Google SecOps (JVM).
                          Runtime: java21
                          Handler: io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest
                          # Written by `./mvnw package`; the path is relative to this template.
                          CodeUri: ../../target/function.zip
                          # SnapStart applies to published versions only: SAM publishes a version on every code or
                          # configuration change and points the alias `live` at it; the schedule invokes the alias.
                          AutoPublishAlias: live
                          SnapStart:
                            ApplyOn: PublishedVersions
                    """),
            new Edit("only the native bootstrap needs the signal handlers off", """
                              DISABLE_SIGNAL_HANDLERS: 'true'
                    """, ""),
            new Edit("with AutoPublishAlias, SAM attaches EventInvokeConfig to the alias", """
                          QUARKUS_LOG_CONSOLE_JSON_ENABLED: 'true'
                          EventInvokeConfig:
                    """, """
                          QUARKUS_LOG_CONSOLE_JSON_ENABLED: 'true'
                          # SAM applies this to the alias `live`, the qualifier the schedule invokes.
                          EventInvokeConfig:
                    """),
            new Edit("the schedule's role may invoke the alias, not the unpublished function", """
                                    Resource: !GetAtt CollectorFunction.Arn
                    """, """
                                    Resource: !Ref CollectorFunction.Alias
                    """),
            new Edit("the schedule invokes the alias, where SnapStart applies", """
                            Arn: !GetAtt CollectorFunction.Arn
                            RoleArn: !GetAtt ScheduleRole.Arn
                    """, """
                            Arn: !Ref CollectorFunction.Alias
                            RoleArn: !GetAtt ScheduleRole.Arn
                    """),
            new Edit("the daily reconcile invokes the alias too", """
                            Arn: !GetAtt CollectorFunction.Arn
                            Input: !Sub '{"reconcile":{"since":"${ReconcileDays}d","repair":true}}'
                    """, """
                            Arn: !Ref CollectorFunction.Alias
                            Input: !Sub '{"reconcile":{"since":"${ReconcileDays}d","repair":true}}'
                    """),
            new Edit("the Errors metric by FunctionName covers every version and alias", """
                            out). See the function's log group.
                    """, """
                            out). See the function's log group. (FunctionName aggregates all versions and aliases.)
                    """),
            new Edit("an output for the alias", """
                        Value: !GetAtt CollectorFunction.Arn
                    """, """
                        Value: !GetAtt CollectorFunction.Arn
                      FunctionAliasArn:
                        Description: The alias `live` (the published SnapStart version) that the schedule invokes.
                        Value: !Ref CollectorFunction.Alias
                    """));

    private JvmTemplate() {}

    /** The JVM template for this native template; fails when an edit's text is missing or not unique. */
    static String derive(String nativeTemplate) {
        String out = nativeTemplate;
        for (Edit edit : EDITS) {
            int at = out.indexOf(edit.find());
            if (at < 0 || out.indexOf(edit.find(), at + 1) >= 0) {
                throw new IllegalStateException(NATIVE + " must contain exactly once the text that this edit replaces ("
                        + edit.why() + "):\n" + edit.find());
            }
            out = out.substring(0, at) + edit.replace() + out.substring(at + edit.find().length());
        }
        return out;
    }
}
