package io.zendeskcrm.collector.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Least-privilege rules for the SAM templates, checked on the parsed template ({@link CfnYaml}).
 * Each check returns its violations, one line each, naming the resource and the statement; a
 * statement inside {@code !If} is checked in both branches.
 */
final class TemplatePolicy {
    /** The collector's default LAMBDA_TIME_MARGIN_SECONDS: the time it keeps free before the function timeout. */
    static final int LAMBDA_TIME_MARGIN_SECONDS = 90;

    /** One IAM policy statement and where it is: a resource's identity or resource policy, or a role's trust policy. */
    record Statement(String resource, String path, boolean trust, Map<String, Object> body) {
        String sid() {
            return body.get("Sid") instanceof String s ? s : "(no Sid)";
        }

        boolean allows() {
            return "Allow".equals(body.get("Effect"));
        }

        /** True for a statement of a KMS key's own policy. */
        boolean inKeyPolicy(Map<String, Object> template) {
            return path.startsWith("Properties.KeyPolicy") && "AWS::KMS::Key".equals(resources(template).get(resource).get("Type"));
        }

        boolean hasCondition() {
            return body.get("Condition") instanceof Map<?, ?> m && !m.isEmpty();
        }

        /** Condition keys in lower case (they are case-insensitive), under whatever operator. */
        Set<String> conditionKeys() {
            Set<String> keys = new java.util.HashSet<>();
            if (body.get("Condition") instanceof Map<?, ?> operators) {
                for (Object block : operators.values()) {
                    if (block instanceof Map<?, ?> m) m.keySet().forEach(k -> keys.add(k.toString().toLowerCase(Locale.ROOT)));
                }
            }
            return keys;
        }

        /** The values a condition key is compared with, under whatever operator. */
        List<Object> conditionValues(String key) {
            List<Object> values = new ArrayList<>();
            if (body.get("Condition") instanceof Map<?, ?> operators) {
                for (Object block : operators.values()) {
                    if (!(block instanceof Map<?, ?> m)) continue;
                    m.forEach((k, v) -> {
                        if (k.toString().equalsIgnoreCase(key)) values.addAll(v instanceof List<?> l ? l : List.of(v));
                    });
                }
            }
            return values;
        }

        @Override
        public String toString() {
            return resource + " " + (trust ? "trust policy" : path) + " statement " + sid();
        }
    }

    private TemplatePolicy() {}

    /** Every violation of every rule below. */
    static List<String> violations(Map<String, Object> template) {
        List<String> out = new ArrayList<>();
        out.addAll(unconditionedWildcardAllows(template));
        out.addAll(basicExecutionRole(template));
        out.addAll(schedulerTrust(template));
        out.addAll(unconditionedListBucket(template));
        out.addAll(timeLimits(template));
        out.addAll(OAuthStatePolicy.keyPolicies(template));
        out.addAll(OAuthStatePolicy.oauthStateGuarded(template));
        return out;
    }

    /**
     * An Allow on every resource ({@code *}, an ARN whose resource part is only {@code *} such as
     * {@code arn:aws:s3:::*}, an ARN for any account, or a NotResource) must carry a Condition. In a KMS
     * key policy {@code *} is the key itself; {@link OAuthStatePolicy#keyPolicies} checks those.
     */
    static List<String> unconditionedWildcardAllows(Map<String, Object> template) {
        List<String> out = new ArrayList<>();
        for (Statement s : statements(template)) {
            if (!s.allows() || s.hasCondition() || s.inKeyPolicy(template)) continue;
            if (s.body().containsKey("NotResource")) {
                out.add(s + ": Allow with NotResource and no Condition");
                continue;
            }
            for (String resource : literals(s.body().get("Resource"))) {
                if (isWildcard(resource)) out.add(s + ": Allow on " + resource + " without a Condition");
            }
        }
        return out;
    }

    /** No role or function gets AWSLambdaBasicExecutionRole: it allows logs:CreateLogGroup on every log group. */
    static List<String> basicExecutionRole(Map<String, Object> template) {
        List<String> out = new ArrayList<>();
        resources(template).forEach((id, resource) -> {
            Map<String, Object> properties = map(resource.get("Properties"));
            for (String key : List.of("ManagedPolicyArns", "Policies")) {
                for (String value : literals(properties.get(key))) {
                    if (value.contains("AWSLambdaBasicExecutionRole")) {
                        out.add(id + " " + key + ": AWSLambdaBasicExecutionRole (logs:CreateLogGroup and log writes on *)");
                    }
                }
            }
        });
        return out;
    }

    /**
     * A role that EventBridge Scheduler may assume is limited by aws:SourceAccount and aws:SourceArn,
     * and every schedule that uses it lies in a schedule group of this template that the
     * aws:SourceArn condition names ({@code !GetAtt Group.Arn}).
     */
    static List<String> schedulerTrust(Map<String, Object> template) {
        List<String> out = new ArrayList<>();
        Map<String, List<Statement>> schedulerTrustByRole = new LinkedHashMap<>();
        for (Statement s : statements(template)) {
            if (!s.trust() || !s.allows() || !principalServices(s).contains("scheduler.amazonaws.com")) continue;
            schedulerTrustByRole.computeIfAbsent(s.resource(), r -> new ArrayList<>()).add(s);
            for (String key : List.of("aws:SourceAccount", "aws:SourceArn")) {
                if (!s.conditionKeys().contains(key.toLowerCase(Locale.ROOT))) {
                    out.add(s + ": the scheduler may assume the role without an " + key + " condition");
                }
            }
        }
        Map<String, Map<String, Object>> resources = resources(template);
        resources.forEach((id, resource) -> {
            if (!"AWS::Scheduler::Schedule".equals(resource.get("Type"))) return;
            Map<String, Object> properties = map(resource.get("Properties"));
            String role = getAttResource(map(properties.get("Target")).get("RoleArn"));
            if (role == null || !schedulerTrustByRole.containsKey(role)) return;
            String group = map(properties.get("GroupName")).get("Ref") instanceof String g
                    && resources.containsKey(g) && "AWS::Scheduler::ScheduleGroup".equals(resources.get(g).get("Type")) ? g : null;
            if (group == null) {
                out.add(id + ": not in a schedule group of this template, so " + role + "'s aws:SourceArn cannot name it");
                return;
            }
            Map<String, Object> groupArn = Map.of("Fn::GetAtt", List.of(group, "Arn"));
            for (Statement s : schedulerTrustByRole.get(role)) {
                if (!s.conditionValues("aws:SourceArn").contains(groupArn)) {
                    out.add(s + ": aws:SourceArn does not name " + id + "'s schedule group (!GetAtt " + group + ".Arn)");
                }
            }
        });
        return out;
    }

    /** s3:ListBucket (also through s3:List*, s3:* or NotAction) only with an s3:prefix condition. */
    static List<String> unconditionedListBucket(Map<String, Object> template) {
        List<String> out = new ArrayList<>();
        for (Statement s : statements(template)) {
            if (!s.allows() || s.trust()) continue;
            boolean lists = s.body().containsKey("NotAction")
                    || literals(s.body().get("Action")).stream().anyMatch(a -> glob(a).matcher("s3:ListBucket").matches());
            if (lists && !s.conditionKeys().contains("s3:prefix")) {
                out.add(s + ": allows s3:ListBucket without an s3:prefix condition");
            }
        }
        return out;
    }

    /**
     * The collector refuses to run in Lambda unless HTTP_TIMEOUT < LAMBDA_TIME_MARGIN_SECONDS < the
     * function timeout; the parameters' limits enforce the same with the default margin.
     */
    static List<String> timeLimits(Map<String, Object> template) {
        List<String> out = new ArrayList<>();
        Map<String, Object> parameters = map(template.get("Parameters"));
        Integer minTimeout = integer(map(parameters.get("Timeout")).get("MinValue"));
        if (minTimeout == null || minTimeout <= LAMBDA_TIME_MARGIN_SECONDS) {
            out.add("Parameter Timeout: MinValue (" + minTimeout + ") must exceed LAMBDA_TIME_MARGIN_SECONDS ("
                    + LAMBDA_TIME_MARGIN_SECONDS + ")");
        }
        Integer maxHttpTimeout = integer(map(parameters.get("HttpTimeout")).get("MaxValue"));
        if (maxHttpTimeout == null || maxHttpTimeout >= LAMBDA_TIME_MARGIN_SECONDS) {
            out.add("Parameter HttpTimeout: MaxValue (" + maxHttpTimeout + ") must be below LAMBDA_TIME_MARGIN_SECONDS ("
                    + LAMBDA_TIME_MARGIN_SECONDS + ")");
        }
        return out;
    }

    /** Every policy statement of every resource: any map with a Statement key is a policy document. */
    static List<Statement> statements(Map<String, Object> template) {
        List<Statement> out = new ArrayList<>();
        resources(template).forEach((id, resource) -> collect(id, "Properties", resource.get("Properties"), out));
        return out;
    }

    private static void collect(String resource, String path, Object node, List<Statement> out) {
        if (node instanceof Map<?, ?> m) {
            if (m.containsKey("Statement")) {
                for (Map<String, Object> body : branches(m.get("Statement"))) {
                    out.add(new Statement(resource, path, path.endsWith("AssumeRolePolicyDocument"), body));
                }
                return;
            }
            m.forEach((k, v) -> collect(resource, path + "." + k, v, out));
        } else if (node instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) collect(resource, path + "[" + i + "]", l.get(i), out);
        }
    }

    /** The statements a Statement value can hold: a list, one statement, or either branch of !If. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> branches(Object node) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (node instanceof List<?> l) {
            l.forEach(item -> out.addAll(branches(item)));
        } else if (node instanceof Map<?, ?> m) {
            if (m.get("Fn::If") instanceof List<?> choice && choice.size() == 3) {
                out.addAll(branches(choice.get(1)));
                out.addAll(branches(choice.get(2)));
            } else if (!"AWS::NoValue".equals(m.get("Ref"))) {
                out.add((Map<String, Object>) m);
            }
        }
        return out;
    }

    /** The literal strings a value can take: plain strings, !Sub templates, both branches of !If. */
    static List<String> literals(Object node) {
        List<String> out = new ArrayList<>();
        if (node instanceof String s) {
            out.add(s);
        } else if (node instanceof List<?> l) {
            l.forEach(item -> out.addAll(literals(item)));
        } else if (node instanceof Map<?, ?> m) {
            if (m.get("Fn::Sub") instanceof String template) {
                out.add(template);
            } else if (m.get("Fn::Sub") instanceof List<?> sub && !sub.isEmpty()) {
                out.addAll(literals(sub.get(0)));
            } else if (m.get("Fn::If") instanceof List<?> choice && choice.size() == 3) {
                out.addAll(literals(choice.get(1)));
                out.addAll(literals(choice.get(2)));
            }
        }
        return out;
    }

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{[^}]*}");

    /** {@code *}; an ARN whose resource part is nothing but {@code *} (and separators); an ARN for any account. */
    static boolean isWildcard(String resource) {
        String r = SUB_VARIABLE.matcher(resource).replaceAll("v");
        if (r.equals("*")) return true;
        String[] arn = r.split(":", 6);
        if (arn.length < 6 || !arn[0].equals("arn")) return false;
        return arn[4].equals("*") || arn[5].replaceAll("[/:]", "").matches("\\*+");
    }

    static Pattern glob(String action) {
        StringBuilder regex = new StringBuilder("(?i)");
        for (char c : action.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString());
    }

    private static Set<String> principalServices(Statement s) {
        Object principal = s.body().get("Principal");
        return principal instanceof Map<?, ?> p ? Set.copyOf(literals(p.get("Service"))) : Set.of();
    }

    static String getAttResource(Object node) {
        return node instanceof Map<?, ?> m && m.get("Fn::GetAtt") instanceof List<?> l && !l.isEmpty()
                ? String.valueOf(l.get(0)) : null;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> resources(Map<String, Object> template) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        map(template.get("Resources")).forEach((id, r) -> out.put(id, map(r)));
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node) {
        return node instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static Integer integer(Object node) {
        if (node instanceof Number n) return n.intValue();
        if (node instanceof String s && s.matches("\\d+")) return Integer.valueOf(s);
        return null;
    }
}
