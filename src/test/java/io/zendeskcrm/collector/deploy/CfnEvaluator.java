package io.zendeskcrm.collector.deploy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed template ({@link CfnYaml}) as CloudFormation would see it for some parameter values: conditions
 * evaluated, {@code !If} branches chosen, {@code AWS::NoValue} dropped, parameters and pseudo parameters
 * substituted, {@code !Join}, {@code !Split} and {@code !Select} applied. References to resources stay
 * symbolic ({@code {Ref: X}}, {@code {Fn::GetAtt: [X, Arn]}}, {@code ${X.Arn}} inside a string).
 */
final class CfnEvaluator {
    static final String ACCOUNT = "123456789012";
    static final String REGION = "us-east-1";
    private static final Map<String, String> PSEUDO = Map.of("AWS::AccountId", ACCOUNT, "AWS::Region", REGION,
            "AWS::Partition", "aws", "AWS::StackName", "zendesk-crm-collector", "AWS::URLSuffix", "amazonaws.com");
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!][^}]*)}");
    /** Stands for a dropped value ({@code AWS::NoValue}, the other branch of {@code !If}). */
    private static final Object NO_VALUE = new Object();

    private final Map<String, Object> template;
    private final Map<String, String> parameters = new HashMap<>();
    private final Map<String, Boolean> conditions = new HashMap<>();

    /** @param values parameter values; every other parameter takes its default */
    CfnEvaluator(Map<String, Object> template, Map<String, String> values) {
        this.template = template;
        TemplatePolicy.map(template.get("Parameters")).forEach((name, p) -> {
            Object def = TemplatePolicy.map(p).get("Default");
            if (def != null) parameters.put(name, String.valueOf(def));
        });
        parameters.putAll(values);
    }

    boolean condition(String name) {
        Boolean known = conditions.get(name);
        if (known != null) return known;
        Object node = TemplatePolicy.map(template.get("Conditions")).get(name);
        if (node == null) throw new IllegalArgumentException("no condition " + name);
        boolean value = truth(node);
        conditions.put(name, value);
        return value;
    }

    /** A condition expression: Fn::Equals, Fn::And, Fn::Or, Fn::Not, {Condition: X}. */
    boolean truth(Object node) {
        Map<String, Object> m = TemplatePolicy.map(node);
        if (m.get("Condition") instanceof String c) return condition(c);
        if (m.get("Fn::Equals") instanceof List<?> l) return String.valueOf(resolve(l.get(0))).equals(String.valueOf(resolve(l.get(1))));
        if (m.get("Fn::And") instanceof List<?> l) return l.stream().allMatch(this::truth);
        if (m.get("Fn::Or") instanceof List<?> l) return l.stream().anyMatch(this::truth);
        if (m.get("Fn::Not") instanceof List<?> l) return !truth(l.get(0));
        throw new IllegalArgumentException("not a condition: " + node);
    }

    /** The rules whose assertions fail for these values, by name. */
    List<String> failedRules() {
        List<String> out = new ArrayList<>();
        TemplatePolicy.map(template.get("Rules")).forEach((name, rule) -> {
            Map<String, Object> r = TemplatePolicy.map(rule);
            if (r.containsKey("RuleCondition") && !truth(r.get("RuleCondition"))) return;
            for (Object assertion : (List<?>) r.get("Assertions")) {
                if (!truth(TemplatePolicy.map(assertion).get("Assert"))) out.add(name);
            }
        });
        return out;
    }

    /** The resources CloudFormation creates, in template order. */
    Set<String> created() {
        Set<String> out = new LinkedHashSet<>();
        TemplatePolicy.resources(template).forEach((id, r) -> {
            if (!(r.get("Condition") instanceof String c) || condition(c)) out.add(id);
        });
        return out;
    }

    /** The outputs the stack has. */
    Set<String> outputs() {
        Set<String> out = new LinkedHashSet<>();
        TemplatePolicy.map(template.get("Outputs")).forEach((id, o) -> {
            if (!(TemplatePolicy.map(o).get("Condition") instanceof String c) || condition(c)) out.add(id);
        });
        return out;
    }

    /** A created resource's properties, resolved. */
    Map<String, Object> properties(String resource) {
        if (!created().contains(resource)) throw new IllegalArgumentException(resource + " is not created");
        return TemplatePolicy.map(resolve(TemplatePolicy.resources(template).get(resource).get("Properties")));
    }

    /** The resources a resolved value refers to: Ref, GetAtt and ${X} or ${X.Attr} in strings. */
    Set<String> references(Object resolved) {
        Set<String> out = new LinkedHashSet<>();
        Set<String> resources = TemplatePolicy.resources(template).keySet();
        if (resolved instanceof String s) {
            Matcher m = SUB_VARIABLE.matcher(s);
            while (m.find()) {
                String name = m.group(1).split("\\.", 2)[0];
                if (resources.contains(name)) out.add(name);
            }
        } else if (resolved instanceof List<?> l) {
            l.forEach(item -> out.addAll(references(item)));
        } else if (resolved instanceof Map<?, ?> m) {
            if (m.get("Ref") instanceof String r && resources.contains(r.split("\\.", 2)[0])) out.add(r.split("\\.", 2)[0]);
            String getAtt = TemplatePolicy.getAttResource(m);
            if (getAtt != null) out.add(getAtt);
            m.values().forEach(v -> out.addAll(references(v)));
        }
        return out;
    }

    /** Every created resource and output that refers to a resource that is not created, with what it names. */
    List<String> danglingReferences() {
        Set<String> created = created();
        List<String> out = new ArrayList<>();
        TemplatePolicy.resources(template).forEach((id, r) -> {
            if (!created.contains(id)) return;
            Map<String, Object> body = new LinkedHashMap<>(r);
            body.remove("Condition");
            Set<String> refs = references(resolve(body));
            if (r.get("DependsOn") != null) refs.addAll(TemplatePolicy.literals(r.get("DependsOn")));
            refs.removeAll(created);
            if (!refs.isEmpty()) out.add(id + " -> " + refs);
        });
        Set<String> outputs = outputs();
        TemplatePolicy.map(template.get("Outputs")).forEach((id, o) -> {
            if (!outputs.contains(id)) return;
            Set<String> refs = references(resolve(TemplatePolicy.map(o).get("Value")));
            refs.removeAll(created);
            if (!refs.isEmpty()) out.add("output " + id + " -> " + refs);
        });
        return out;
    }

    /** A value as CloudFormation would have it; see the class comment. */
    Object resolve(Object node) {
        Object out = resolveOrDrop(node);
        return out == NO_VALUE ? null : out;
    }

    private Object resolveOrDrop(Object node) {
        if (node instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object item : l) {
                Object v = resolveOrDrop(item);
                if (v != NO_VALUE) out.add(v);
            }
            return out;
        }
        if (!(node instanceof Map<?, ?> m)) return node;
        if (m.size() == 1) {
            if (m.get("Ref") instanceof String name) {
                if (name.equals("AWS::NoValue")) return NO_VALUE;
                if (PSEUDO.containsKey(name)) return PSEUDO.get(name);
                if (parameters.containsKey(name)) return parameters.get(name);
                return m;
            }
            if (m.get("Fn::If") instanceof List<?> l && l.size() == 3) {
                return resolveOrDrop(condition((String) l.get(0)) ? l.get(1) : l.get(2));
            }
            if (m.get("Fn::Join") instanceof List<?> l && l.size() == 2) {
                List<String> parts = new ArrayList<>();
                for (Object part : (List<?>) resolve(l.get(1))) parts.add(String.valueOf(part));
                return String.join(String.valueOf(l.get(0)), parts);
            }
            if (m.get("Fn::Split") instanceof List<?> l && l.size() == 2 && resolve(l.get(1)) instanceof String s) {
                return List.of(s.split(Pattern.quote(String.valueOf(l.get(0))), -1));
            }
            if (m.get("Fn::Select") instanceof List<?> l && l.size() == 2 && resolve(l.get(1)) instanceof List<?> items) {
                return items.get(Integer.parseInt(String.valueOf(l.get(0))));
            }
            if (m.get("Fn::Sub") instanceof String s) return substitute(s, Map.of());
            if (m.get("Fn::Sub") instanceof List<?> l && l.size() == 2) {
                Map<String, Object> variables = new HashMap<>();
                TemplatePolicy.map(l.get(1)).forEach((k, v) -> variables.put(k, resolve(v)));
                return substitute((String) l.get(0), variables);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            Object r = resolveOrDrop(v);
            if (r != NO_VALUE) out.put(String.valueOf(k), r);
        });
        return out;
    }

    /** ${Name} from the variables, parameters and pseudo parameters; a resource's ${X} or ${X.Attr} stays. */
    private String substitute(String template, Map<String, Object> variables) {
        Matcher m = SUB_VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            Object value = variables.containsKey(name) ? variables.get(name)
                    : PSEUDO.containsKey(name) ? PSEUDO.get(name) : parameters.get(name);
            String text = value instanceof String s ? s
                    : value instanceof Map<?, ?> ref && ref.get("Ref") instanceof String r ? "${" + r + "}"
                    : value instanceof Map<?, ?> att && TemplatePolicy.getAttResource(att) != null
                            ? "${" + String.join(".", ((List<?>) att.get("Fn::GetAtt")).stream().map(String::valueOf).toList()) + "}"
                    : m.group();
            m.appendReplacement(out, Matcher.quoteReplacement(text));
        }
        m.appendTail(out);
        return out.toString();
    }
}
