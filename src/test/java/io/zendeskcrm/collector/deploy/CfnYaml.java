package io.zendeskcrm.collector.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a CloudFormation template written in YAML into maps, lists and strings, with the short-form
 * tags turned into their long form: {@code !Ref X} becomes {@code {Ref: X}}, {@code !GetAtt A.B}
 * becomes {@code {Fn::GetAtt: [A, B]}}, {@code !Condition C} becomes {@code {Condition: C}} and any
 * other {@code !Name v} becomes {@code {Fn::Name: v}} ({@code !Sub}, {@code !If}, {@code !Equals}...).
 */
final class CfnYaml {
    private CfnYaml() {}

    static Map<String, Object> read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String yaml) {
        return (Map<String, Object>) new Yaml(new ShortFormTags()).load(yaml);
    }

    private static final class ShortFormTags extends SafeConstructor {
        ShortFormTags() {
            super(new LoaderOptions());
            yamlMultiConstructors.put("!", new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    String name = node.getTag().getValue().substring(1);
                    Object value;
                    if (node instanceof ScalarNode scalar) {
                        value = constructScalar(scalar);
                    } else if (node instanceof SequenceNode sequence) {
                        value = constructSequence(sequence);
                    } else {
                        value = constructMapping((MappingNode) node);
                    }
                    return switch (name) {
                        case "Ref", "Condition" -> Map.of(name, value);
                        case "GetAtt" -> Map.of("Fn::GetAtt", value instanceof String s ? List.of(s.split("\\.", 2)) : value);
                        default -> Map.of("Fn::" + name, value);
                    };
                }
            });
        }
    }
}
