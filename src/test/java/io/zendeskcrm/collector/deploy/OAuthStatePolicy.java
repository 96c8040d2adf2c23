package io.zendeskcrm.collector.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rules that keep the stored OAuth refresh token out of reach, checked on the parsed template: KMS
 * keys that only a role of the template may use (through a service), and the refresh token's object
 * written under such a key and refused by the bucket policy to every principal but the function's role.
 */
final class OAuthStatePolicy {
    /** What uses a key's material or hands it on, as opposed to administering the key. */
    static final List<String> KEY_USAGE = List.of("kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo",
            "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:GenerateDataKeyPair",
            "kms:GenerateDataKeyPairWithoutPlaintext", "kms:CreateGrant", "kms:Sign", "kms:Verify", "kms:GenerateMac",
            "kms:VerifyMac", "kms:DeriveSharedSecret");

    private OAuthStatePolicy() {}

    /**
     * In a KMS key policy, an Allow that lets a principal use the key (see {@link #KEY_USAGE}, through
     * wildcards and NotAction too) names only roles of this template ({@code !GetAtt Role.Arn}) and carries
     * a kms:ViaService condition; the account root (IAM delegation) or anyone else only administers it.
     */
    static List<String> keyPolicies(Map<String, Object> template) {
        List<String> out = new ArrayList<>();
        Map<String, Map<String, Object>> resources = TemplatePolicy.resources(template);
        for (TemplatePolicy.Statement s : TemplatePolicy.statements(template)) {
            if (!s.allows() || !s.inKeyPolicy(template)) continue;
            List<String> actions = TemplatePolicy.literals(s.body().get("Action"));
            boolean uses = s.body().containsKey("NotAction") || actions.stream()
                    .anyMatch(a -> KEY_USAGE.stream().anyMatch(u -> TemplatePolicy.glob(a).matcher(u).matches()));
            if (!uses) continue;
            for (Object principal : awsPrincipals(s)) {
                String role = TemplatePolicy.getAttResource(principal);
                if (role == null || !"AWS::IAM::Role".equals(resources.getOrDefault(role, Map.of()).get("Type"))) {
                    out.add(s + ": lets " + shown(principal) + " use the key; only a role of this template may");
                }
            }
            if (!s.conditionKeys().contains("kms:viaservice")) {
                out.add(s + ": lets the key be used without a kms:ViaService condition");
            }
        }
        return out;
    }

    /**
     * With an OAuthStateKey parameter (the refresh token's object): the function writes it under a KMS key of
     * this template ({@code OAUTH_STATE_KMS_KEY_ID: !GetAtt Key.Arn}) whose policy lets the function's role use
     * it, and a bucket policy denies s3:GetObject and s3:PutObject on it to every principal but that role.
     */
    static List<String> oauthStateGuarded(Map<String, Object> template) {
        List<String> out = new ArrayList<>();
        if (!TemplatePolicy.map(template.get("Parameters")).containsKey("OAuthStateKey")) return out;
        Map<String, Map<String, Object>> resources = TemplatePolicy.resources(template);
        resources.forEach((id, resource) -> {
            if (!"AWS::Serverless::Function".equals(resource.get("Type"))) return;
            Map<String, Object> properties = TemplatePolicy.map(resource.get("Properties"));
            String role = TemplatePolicy.getAttResource(properties.get("Role"));
            Object keyId = TemplatePolicy.map(TemplatePolicy.map(properties.get("Environment")).get("Variables")).get("OAUTH_STATE_KMS_KEY_ID");
            Optional<String> key = getAtts(keyId).stream()
                    .filter(k -> "AWS::KMS::Key".equals(resources.getOrDefault(k, Map.of()).get("Type"))).findFirst();
            if (key.isEmpty()) {
                out.add(id + ": OAUTH_STATE_KMS_KEY_ID does not name a KMS key of this template (!GetAtt Key.Arn)");
            } else if (!usableBy(template, key.get(), role)) {
                out.add(id + ": the policy of " + key.get() + " (OAUTH_STATE_KMS_KEY_ID) does not let " + role + " use it");
            }
            if (!deniedToAllBut(template, role)) {
                out.add(id + ": no bucket policy denies s3:GetObject and s3:PutObject on ${OAuthStateKey} to every principal"
                        + " but " + role + " (aws:PrincipalArn)");
            }
        });
        return out;
    }

    private static boolean usableBy(Map<String, Object> template, String key, String role) {
        Map<String, Object> roleArn = Map.of("Fn::GetAtt", List.of(role, "Arn"));
        return TemplatePolicy.statements(template).stream().anyMatch(s -> s.resource().equals(key) && s.allows()
                && s.inKeyPolicy(template) && awsPrincipals(s).contains(roleArn)
                && TemplatePolicy.literals(s.body().get("Action")).stream()
                        .anyMatch(a -> TemplatePolicy.glob(a).matcher("kms:Decrypt").matches()));
    }

    private static boolean deniedToAllBut(Map<String, Object> template, String role) {
        Map<String, Map<String, Object>> resources = TemplatePolicy.resources(template);
        Map<String, Object> roleArn = Map.of("Fn::GetAtt", List.of(role, "Arn"));
        return TemplatePolicy.statements(template).stream().anyMatch(s -> {
            if (!"AWS::S3::BucketPolicy".equals(resources.get(s.resource()).get("Type"))) return false;
            if (!"Deny".equals(s.body().get("Effect")) || !"*".equals(s.body().get("Principal"))) return false;
            Set<String> actions = Set.copyOf(TemplatePolicy.literals(s.body().get("Action")).stream()
                    .map(a -> a.toLowerCase(Locale.ROOT)).toList());
            boolean both = actions.containsAll(Set.of("s3:getobject", "s3:putobject")) || actions.contains("s3:*");
            boolean object = TemplatePolicy.literals(s.body().get("Resource")).stream().anyMatch(r -> r.endsWith("/${OAuthStateKey}"));
            return both && object && s.conditionValues("aws:PrincipalArn").equals(List.of(roleArn))
                    && conditionOperators(s).stream().allMatch(op -> op.startsWith("ArnNot") || op.startsWith("StringNot"));
        });
    }

    private static List<String> conditionOperators(TemplatePolicy.Statement s) {
        return new ArrayList<>(TemplatePolicy.map(s.body().get("Condition")).keySet());
    }

    /** The AWS principals of a statement, as written (strings, !Sub, !GetAtt). */
    private static List<Object> awsPrincipals(TemplatePolicy.Statement s) {
        Object principal = s.body().get("Principal");
        if ("*".equals(principal)) return List.of("*");
        Object aws = TemplatePolicy.map(principal).get("AWS");
        if (aws == null) return List.of();
        return aws instanceof List<?> l ? List.copyOf(l) : List.of(aws);
    }

    /** The resources {@code !GetAtt X.Arn} names in a value, in both branches of !If. */
    private static List<String> getAtts(Object node) {
        List<String> out = new ArrayList<>();
        Map<String, Object> m = TemplatePolicy.map(node);
        if (m.get("Fn::If") instanceof List<?> choice && choice.size() == 3) {
            out.addAll(getAtts(choice.get(1)));
            out.addAll(getAtts(choice.get(2)));
        } else if (TemplatePolicy.getAttResource(node) != null) {
            out.add(TemplatePolicy.getAttResource(node));
        }
        return out;
    }

    private static String shown(Object principal) {
        if (principal instanceof String s) return s;
        String role = TemplatePolicy.getAttResource(principal);
        if (role != null) return "!GetAtt " + role + ".Arn";
        return TemplatePolicy.literals(principal).stream().findFirst().orElse(String.valueOf(principal));
    }
}
