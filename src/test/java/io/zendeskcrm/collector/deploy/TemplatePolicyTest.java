package io.zendeskcrm.collector.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both SAM templates follow {@link TemplatePolicy}; each rule is shown to catch a bad template. */
class TemplatePolicyTest {

    @ParameterizedTest
    @ValueSource(strings = {JvmTemplate.NATIVE, JvmTemplate.JVM})
    void theTemplateGrantsNoMoreThanItNeeds(String file) throws Exception {
        assertEquals(List.of(), TemplatePolicy.violations(CfnYaml.read(Path.of(file))));
    }

    /** The rules above found something to check: every statement of the templates, in both branches of !If. */
    @ParameterizedTest
    @ValueSource(strings = {JvmTemplate.NATIVE, JvmTemplate.JVM})
    void theChecksSeeEveryStatement(String file) throws Exception {
        List<TemplatePolicy.Statement> statements = TemplatePolicy.statements(CfnYaml.read(Path.of(file)));
        Set<String> sids = statements.stream().map(TemplatePolicy.Statement::sid).collect(Collectors.toSet());

        assertTrue(sids.containsAll(Set.of("WriteLogObjects", "ReadAndCommitCheckpoint", "TellMissingCheckpointFromDenied",
                "ReadZendeskCredential", "ReadZendeskRefreshTokenSeed", "ReadAndStoreRotatedRefreshToken",
                "DecryptZendeskCredential", "ReportFailedInvocations", "WriteOwnLogStreams", "InvokeCollector", "DeadLetter",
                "ReadLogObjects", "ListLogObjects", "LocateBucket", "NeverReadOAuthState", "DenyInsecureTransport",
                "AccountAdministersTheKeyOnly", "FunctionUsesTheKeyForTheOAuthState", "OnlyTheFunctionReadsOrWritesTheOAuthState",
                "CheckConditionalWritesOnAProbe", "OnlyTheLogBucketSends", "ReceiveNotifications", "OnlyTheSecOpsFeedsGoogleIdentity")),
                sids.toString());
        assertEquals(2, statements.stream().filter(s -> s.sid().equals("ReadZendeskRefreshTokenSeed")).count(),
                "the SSM and the Secrets Manager variant, from an !If inside an !If");
        assertEquals(3, statements.stream().filter(TemplatePolicy.Statement::trust).count(),
                "the function's, the scheduler's and the SecOps feed's");
    }

    @Test
    void theShortFormTagsAreReadAsTheirLongForm() {
        Map<String, Object> t = CfnYaml.parse("""
                A: !Ref X
                B: !GetAtt Fn.Arn
                C: !Sub 'arn:${AWS::Partition}:s3:::b'
                D: !If [Cond, !Ref AWS::NoValue, !Condition Other]
                """);

        assertEquals(Map.of("Ref", "X"), t.get("A"));
        assertEquals(Map.of("Fn::GetAtt", List.of("Fn", "Arn")), t.get("B"));
        assertEquals(Map.of("Fn::Sub", "arn:${AWS::Partition}:s3:::b"), t.get("C"));
        assertEquals(Map.of("Fn::If", List.of("Cond", Map.of("Ref", "AWS::NoValue"), Map.of("Condition", "Other"))), t.get("D"));
    }

    @Test
    void anAllowOnEveryResourceNeedsACondition() {
        Map<String, Object> t = CfnYaml.parse("""
                Resources:
                  Role:
                    Type: AWS::IAM::Role
                    Properties:
                      Policies:
                        - PolicyName: p
                          PolicyDocument:
                            Statement:
                              - Sid: Everything
                                Effect: Allow
                                Action: logs:CreateLogGroup
                                Resource: '*'
                              - Sid: AnyBucket
                                Effect: Allow
                                Action: s3:GetObject
                                Resource: [!Sub 'arn:${AWS::Partition}:s3:::*']
                              - !If
                                - SomeCondition
                                - Sid: AnyQueueInABranch
                                  Effect: Allow
                                  Action: sqs:SendMessage
                                  Resource: arn:aws:sqs:us-east-1:123456789012:*
                                - !Ref AWS::NoValue
                              - Sid: AnyAccount
                                Effect: Allow
                                Action: lambda:InvokeFunction
                                Resource: arn:aws:lambda:us-east-1:*:function:f
                              - Sid: AllButOne
                                Effect: Allow
                                Action: s3:GetObject
                                NotResource: arn:aws:s3:::b/secret
                              - Sid: ConditionedWildcard
                                Effect: Allow
                                Action: kms:Decrypt
                                Resource: '*'
                                Condition: {StringEquals: {kms:ViaService: ssm.us-east-1.amazonaws.com}}
                              - Sid: OwnLogStreams
                                Effect: Allow
                                Action: logs:PutLogEvents
                                Resource: !Sub 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${Group}:*'
                              - Sid: DenyIsNotAGrant
                                Effect: Deny
                                Action: s3:*
                                Resource: '*'
                """);

        List<String> violations = TemplatePolicy.unconditionedWildcardAllows(t);

        assertEquals(List.of("Everything", "AnyBucket", "AnyQueueInABranch", "AnyAccount", "AllButOne"), sids(violations));
    }

    @Test
    void theBasicExecutionRoleIsRefused() {
        Map<String, Object> t = CfnYaml.parse("""
                Resources:
                  Role:
                    Type: AWS::IAM::Role
                    Properties:
                      ManagedPolicyArns:
                        - !Sub 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'
                  Function:
                    Type: AWS::Serverless::Function
                    Properties:
                      Policies: [AWSLambdaBasicExecutionRole]
                  Other:
                    Type: AWS::IAM::Role
                    Properties:
                      ManagedPolicyArns: [!Sub 'arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess']
                """);

        List<String> violations = TemplatePolicy.basicExecutionRole(t);

        assertEquals(2, violations.size(), violations.toString());
        assertTrue(violations.get(0).startsWith("Role ManagedPolicyArns"), violations.get(0));
        assertTrue(violations.get(1).startsWith("Function Policies"), violations.get(1));
    }

    private static final String SCHEDULE = """
            Resources:
              Group:
                Type: AWS::Scheduler::ScheduleGroup
              OtherGroup:
                Type: AWS::Scheduler::ScheduleGroup
              ScheduleRole:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument:
                    Statement:
                      - Effect: Allow
                        Principal: {Service: scheduler.amazonaws.com}
                        Action: sts:AssumeRole
                        Condition:
                          %s
              Schedule:
                Type: AWS::Scheduler::Schedule
                Properties:
                  %s
                  Target:
                    Arn: !GetAtt Fn.Arn
                    RoleArn: !GetAtt ScheduleRole.Arn
            """;

    @Test
    void theSchedulerTrustNamesTheAccountAndTheSchedulesGroup() {
        String both = "{StringEquals: {aws:SourceAccount: !Ref AWS::AccountId}, ArnLike: {aws:SourceArn: [!GetAtt Group.Arn]}}";

        assertEquals(List.of(), TemplatePolicy.schedulerTrust(CfnYaml.parse(SCHEDULE.formatted(both, "GroupName: !Ref Group"))));

        List<String> noArn = TemplatePolicy.schedulerTrust(CfnYaml.parse(SCHEDULE.formatted(
                "{StringEquals: {aws:SourceAccount: !Ref AWS::AccountId}}", "GroupName: !Ref Group")));
        assertEquals(2, noArn.size(), noArn.toString());
        assertTrue(noArn.get(0).endsWith("without an aws:SourceArn condition"), noArn.get(0));
        assertTrue(noArn.get(1).contains("aws:SourceArn does not name Schedule's schedule group"), noArn.get(1));

        List<String> noAccount = TemplatePolicy.schedulerTrust(CfnYaml.parse(SCHEDULE.formatted(
                "{ArnEquals: {aws:SourceArn: !GetAtt Group.Arn}}", "GroupName: !Ref Group")));
        assertEquals(1, noAccount.size(), noAccount.toString());
        assertTrue(noAccount.get(0).endsWith("without an aws:SourceAccount condition"), noAccount.get(0));

        List<String> otherGroup = TemplatePolicy.schedulerTrust(CfnYaml.parse(SCHEDULE.formatted(both, "GroupName: !Ref OtherGroup")));
        assertEquals(1, otherGroup.size(), otherGroup.toString());
        assertTrue(otherGroup.get(0).contains("(!GetAtt OtherGroup.Arn)"), otherGroup.get(0));

        List<String> defaultGroup = TemplatePolicy.schedulerTrust(CfnYaml.parse(SCHEDULE.formatted(both, "Description: x")));
        assertEquals(List.of("Schedule: not in a schedule group of this template, so ScheduleRole's aws:SourceArn cannot name it"),
                defaultGroup);
    }

    @Test
    void listingTheBucketNeedsAnS3PrefixCondition() {
        Map<String, Object> t = CfnYaml.parse("""
                Resources:
                  Policy:
                    Type: AWS::IAM::ManagedPolicy
                    Properties:
                      PolicyDocument:
                        Statement:
                          - Sid: ListWithRead
                            Effect: Allow
                            Action: [s3:GetObject, s3:ListBucket]
                            Resource: arn:aws:s3:::b
                          - Sid: ListStar
                            Effect: Allow
                            Action: s3:list*
                            Resource: arn:aws:s3:::b
                          - Sid: OtherCondition
                            Effect: Allow
                            Action: s3:*
                            Resource: arn:aws:s3:::b
                            Condition: {StringEquals: {aws:SourceAccount: '123456789012'}}
                          - Sid: NotAction
                            Effect: Allow
                            NotAction: s3:DeleteObject
                            Resource: arn:aws:s3:::b
                          - Sid: PrefixOnly
                            Effect: Allow
                            Action: s3:ListBucket
                            Resource: arn:aws:s3:::b
                            Condition: {StringEquals: {s3:prefix: [state/state.json]}}
                          - Sid: ListBuckets
                            Effect: Allow
                            Action: s3:ListAllMyBuckets
                            Resource: '*'
                            Condition: {Bool: {aws:SecureTransport: 'true'}}
                """);

        assertEquals(List.of("ListWithRead", "ListStar", "OtherCondition", "NotAction"), sids(TemplatePolicy.unconditionedListBucket(t)));
    }

    @Test
    void theTimeLimitsLeaveTheCollectorItsMargin() {
        String parameters = """
                Parameters:
                  Timeout: {Type: Number, MinValue: %s, MaxValue: 900}
                  HttpTimeout: {Type: Number, MinValue: 1, MaxValue: %s}
                """;

        assertEquals(List.of(), TemplatePolicy.timeLimits(CfnYaml.parse(parameters.formatted(120, 80))));
        List<String> tooShort = TemplatePolicy.timeLimits(CfnYaml.parse(parameters.formatted(90, 80)));
        assertEquals(List.of("Parameter Timeout: MinValue (90) must exceed LAMBDA_TIME_MARGIN_SECONDS (90)"), tooShort);
        List<String> tooLong = TemplatePolicy.timeLimits(CfnYaml.parse(parameters.formatted(120, 900)));
        assertEquals(List.of("Parameter HttpTimeout: MaxValue (900) must be below LAMBDA_TIME_MARGIN_SECONDS (90)"), tooLong);
        assertFalse(TemplatePolicy.timeLimits(CfnYaml.parse("Parameters: {}")).isEmpty(), "missing limits are violations");
    }

    @Test
    void onlyARoleOfTheTemplateUsesAKmsKeyAndOnlyThroughAService() {
        Map<String, Object> t = CfnYaml.parse("""
                Resources:
                  Role:
                    Type: AWS::IAM::Role
                  Key:
                    Type: AWS::KMS::Key
                    Properties:
                      KeyPolicy:
                        Statement:
                          - Sid: AdministerOnly
                            Effect: Allow
                            Principal: {AWS: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root'}
                            Action: [kms:DescribeKey, kms:PutKeyPolicy, kms:ScheduleKeyDeletion]
                            Resource: '*'
                          - Sid: RoleThroughS3
                            Effect: Allow
                            Principal: {AWS: !GetAtt Role.Arn}
                            Action: [kms:Decrypt, kms:GenerateDataKey]
                            Resource: '*'
                            Condition: {StringEquals: {kms:ViaService: s3.us-east-1.amazonaws.com}}
                          - Sid: RootEverything
                            Effect: Allow
                            Principal: {AWS: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root'}
                            Action: kms:*
                            Resource: '*'
                          - Sid: RootGrants
                            Effect: Allow
                            Principal: {AWS: arn:aws:iam::123456789012:root}
                            Action: kms:Create*
                            Resource: '*'
                          - Sid: RoleDirectly
                            Effect: Allow
                            Principal: {AWS: [!GetAtt Role.Arn]}
                            Action: kms:Decrypt
                            Resource: '*'
                          - Sid: Anyone
                            Effect: Allow
                            Principal: '*'
                            NotAction: kms:ScheduleKeyDeletion
                            Resource: '*'
                            Condition: {StringEquals: {kms:ViaService: s3.us-east-1.amazonaws.com}}
                """);

        List<String> violations = OAuthStatePolicy.keyPolicies(t);

        assertEquals(List.of(
                "Key Properties.KeyPolicy statement RootEverything: lets arn:${AWS::Partition}:iam::${AWS::AccountId}:root use the key;"
                        + " only a role of this template may",
                "Key Properties.KeyPolicy statement RootEverything: lets the key be used without a kms:ViaService condition",
                "Key Properties.KeyPolicy statement RootGrants: lets arn:aws:iam::123456789012:root use the key; only a role of this"
                        + " template may",
                "Key Properties.KeyPolicy statement RootGrants: lets the key be used without a kms:ViaService condition",
                "Key Properties.KeyPolicy statement RoleDirectly: lets the key be used without a kms:ViaService condition",
                "Key Properties.KeyPolicy statement Anyone: lets * use the key; only a role of this template may"), violations);
        assertEquals(List.of(), TemplatePolicy.unconditionedWildcardAllows(t), "in a key policy, '*' is the key itself");
    }

    private static final String OAUTH_STATE = """
            Parameters:
              OAuthStateKey: {Type: String}
            Resources:
              FunctionRole:
                Type: AWS::IAM::Role
              OtherRole:
                Type: AWS::IAM::Role
              Key:
                Type: AWS::KMS::Key
                Properties:
                  KeyPolicy:
                    Statement:
                      - Effect: Allow
                        Principal: {AWS: !GetAtt %s.Arn}
                        Action: [kms:Decrypt, kms:GenerateDataKey]
                        Resource: '*'
                        Condition: {StringEquals: {kms:ViaService: s3.us-east-1.amazonaws.com}}
              Function:
                Type: AWS::Serverless::Function
                Properties:
                  Role: !GetAtt FunctionRole.Arn
                  Environment:
                    Variables:
                      OAUTH_STATE_KEY: !Ref OAuthStateKey
                      %s
              BucketPolicy:
                Type: AWS::S3::BucketPolicy
                Properties:
                  PolicyDocument:
                    Statement:
                      - !If
                        - IsRefreshTokenMode
                        - Effect: Deny
                          Principal: '*'
                          Action: %s
                          Resource: !Sub '${Bucket.Arn}/${OAuthStateKey}'
                          Condition: {%s: {aws:PrincipalArn: !GetAtt %s.Arn}}
                        - !Ref AWS::NoValue
            """;

    private static List<String> oauthState(String keyUser, String env, String actions, String operator, String exempt) {
        return OAuthStatePolicy.oauthStateGuarded(CfnYaml.parse(OAUTH_STATE.formatted(keyUser, env, actions, operator, exempt)));
    }

    @Test
    void theRefreshTokensObjectIsEncryptedUnderTheFunctionsKeyAndDeniedToEveryoneElse() {
        String env = "OAUTH_STATE_KMS_KEY_ID: !If [IsRefreshTokenMode, !GetAtt Key.Arn, !Ref AWS::NoValue]";
        String both = "[s3:GetObject, s3:GetObjectVersion, s3:PutObject]";
        assertEquals(List.of(), oauthState("FunctionRole", env, both, "ArnNotEquals", "FunctionRole"));

        assertEquals(List.of("Function: OAUTH_STATE_KMS_KEY_ID does not name a KMS key of this template (!GetAtt Key.Arn)"),
                oauthState("FunctionRole", "OTHER: x", both, "ArnNotEquals", "FunctionRole"));
        assertEquals(List.of("Function: the policy of Key (OAUTH_STATE_KMS_KEY_ID) does not let FunctionRole use it"),
                oauthState("OtherRole", env, both, "ArnNotEquals", "FunctionRole"));
        String noDeny = "Function: no bucket policy denies s3:GetObject and s3:PutObject on ${OAuthStateKey} to every principal"
                + " but FunctionRole (aws:PrincipalArn)";
        assertEquals(List.of(noDeny), oauthState("FunctionRole", env, "s3:GetObject", "ArnNotEquals", "FunctionRole"));
        assertEquals(List.of(noDeny), oauthState("FunctionRole", env, both, "ArnNotEquals", "OtherRole"));
        assertEquals(List.of(noDeny), oauthState("FunctionRole", env, both, "ArnEquals", "FunctionRole"));
        assertEquals(List.of(), OAuthStatePolicy.oauthStateGuarded(CfnYaml.parse("Parameters: {}")), "no refresh token, no rule");
    }

    /** The Sid each violation names, in order. */
    private static List<String> sids(List<String> violations) {
        return violations.stream().map(v -> v.replaceAll("^.* statement (\\S+): .*$", "$1")).toList();
    }
}
