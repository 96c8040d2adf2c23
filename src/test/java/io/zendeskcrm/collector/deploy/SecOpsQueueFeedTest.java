package io.zendeskcrm.collector.deploy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code SecOpsFeed=SQS}: the queue an "Amazon SQS V2" feed reads, the bucket's notifications for new log
 * objects only, the queue policy, the reader identity and the outputs for the feed form; and nothing of it
 * with the default.
 */
class SecOpsQueueFeedTest {
    private static final Set<String> FEED_RESOURCES = Set.of("FeedQueue", "FeedDeadLetterQueue", "FeedQueuePolicy",
            "SecOpsFeedReaderPolicy", "FeedDeadLetterQueueAlarm", "FeedQueueAgeAlarm");
    private static final String SUBJECT_ID = "113578234597343545211";
    private static final Map<String, String> NAMED_BUCKET = Map.of("SecOpsFeed", "SQS", "BucketName", "acme-zendesk-logs");
    private static final Map<String, String> WITH_ROLE = with(NAMED_BUCKET, "SecOpsFeedSubjectId", SUBJECT_ID);
    private static final Map<String, Object> QUEUE_ARN = Map.of("Fn::GetAtt", List.of("FeedQueue", "Arn"));
    /** A key the collector writes, as README.md "Object keys" shows it. */
    private static final String LOG_OBJECT = "audit_logs/2026/11/20/20261120T105000Z-3f1c0a9e7d2b4c51.ndjson.gz";

    private static CfnEvaluator stack(String file, Map<String, String> values) throws Exception {
        return new CfnEvaluator(CfnYaml.read(Path.of(file)), values);
    }

    @ParameterizedTest
    @ValueSource(strings = {JvmTemplate.NATIVE, JvmTemplate.JVM})
    void theDefaultCreatesNoneOfItAndSqsAddsTheQueueTheReaderAndTheOutputs(String file) throws Exception {
        CfnEvaluator byDefault = stack(file, Map.of());
        CfnEvaluator withUser = stack(file, NAMED_BUCKET);
        CfnEvaluator withRole = stack(file, WITH_ROLE);

        assertEquals("S3", byDefault.resolve(Map.of("Ref", "SecOpsFeed")), "today's feed stays the default");
        assertTrue(withRole.created().containsAll(byDefault.created()));
        assertEquals(union(FEED_RESOURCES, Set.of("SecOpsFeedUser")), minus(withUser.created(), byDefault.created()));
        assertEquals(union(FEED_RESOURCES, Set.of("SecOpsFeedRole")), minus(withRole.created(), byDefault.created()));
        assertFalse(byDefault.properties("LogBucket").containsKey("NotificationConfiguration"));

        Set<String> formOutputs = Set.of("SecOpsFeedQueueArn", "SecOpsFeedQueueUrl", "SecOpsFeedRegion", "SecOpsFeedDeadLetterQueueUrl");
        assertEquals(union(formOutputs, Set.of("SecOpsFeedUserName")), minus(withUser.outputs(), byDefault.outputs()));
        assertEquals(union(formOutputs, Set.of("SecOpsFeedRoleArn")), minus(withRole.outputs(), byDefault.outputs()));
        assertTrue(byDefault.outputs().contains("SecOpsFeedS3Uri"), "the form's S3 URI, for both feeds");

        for (CfnEvaluator stack : List.of(byDefault, withUser, withRole, stack(file, with(NAMED_BUCKET, "ExistingBucketName", "theirs")))) {
            assertEquals(List.of(), stack.danglingReferences(), "a created resource or output names one that is not created");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {JvmTemplate.NATIVE, JvmTemplate.JVM})
    void theBucketNotifiesTheQueueOfNewObjectsUnderTheDataPrefixOnly(String file) throws Exception {
        CfnEvaluator stack = stack(file, with(NAMED_BUCKET, "AuthMode", "oauth_refresh_token"));
        Map<String, Object> notifications = map(stack.properties("LogBucket").get("NotificationConfiguration"));

        assertEquals(Set.of("QueueConfigurations"), notifications.keySet(), "no topic, function or EventBridge");
        List<?> queues = (List<?>) notifications.get("QueueConfigurations");
        assertEquals(1, queues.size());
        Map<String, Object> queue = map(queues.get(0));
        assertEquals("s3:ObjectCreated:*", queue.get("Event"));
        assertEquals(QUEUE_ARN, queue.get("Queue"));
        assertEquals(List.of(Map.of("Name", "prefix", "Value", "zendesk/crm/")), map(map(queue.get("Filter")).get("S3Key")).get("Rules"));
        String prefix = (String) stack.resolve(Map.of("Ref", "DataPrefix"));
        assertTrue(notified(stack, prefix + LOG_OBJECT), "a log object is announced");

        List<String> others = keysTheFunctionWritesOutsideTheDataPrefix(stack);
        assertEquals(Set.of("zendesk/crm-state/state.json", "zendesk/crm-state/state.json.d/part", "zendesk/crm-state/state.json.check",
                "zendesk/crm-state/oauth.json"), new TreeSet<>(others), "the checkpoint, its parts, the probe, the OAuth state");
        for (String key : others) assertFalse(notified(stack, key), key + " would reach the feed");
    }

    /** S3 matches a prefix filter against the URL-encoded key: a '=' in DataPrefix has to be written %3D. */
    @Test
    void aDataPrefixWithAnEqualsSignIsEncodedInTheFilter() throws Exception {
        CfnEvaluator stack = stack(JvmTemplate.NATIVE, with(with(NAMED_BUCKET, "DataPrefix", "logs/source=zendesk/"),
                "StateKey", "logs/source=zendesk-state/state.json"));

        assertEquals("logs/source%3Dzendesk/", prefixFilter(stack));
        assertTrue(notified(stack, "logs/source=zendesk/" + LOG_OBJECT));
        for (String key : keysTheFunctionWritesOutsideTheDataPrefix(stack)) assertFalse(notified(stack, key), key);
    }

    @ParameterizedTest
    @ValueSource(strings = {JvmTemplate.NATIVE, JvmTemplate.JVM})
    void onlyTheLogBucketOfThisAccountMaySendToTheQueueAndTheBucketWaitsForThatPolicy(String file) throws Exception {
        for (var bucket : Map.of("acme-zendesk-logs", NAMED_BUCKET, "theirs", with(NAMED_BUCKET, "ExistingBucketName", "theirs")).entrySet()) {
            CfnEvaluator stack = stack(file, bucket.getValue());
            List<Map<String, Object>> statements = statements(stack.properties("FeedQueuePolicy"));
            List<Map<String, Object>> allows = statements.stream().filter(s -> "Allow".equals(s.get("Effect"))).toList();

            assertEquals(1, allows.size(), allows.toString());
            Map<String, Object> send = allows.get(0);
            assertEquals(Map.of("Service", "s3.amazonaws.com"), send.get("Principal"));
            assertEquals("sqs:SendMessage", send.get("Action"));
            assertEquals(QUEUE_ARN, send.get("Resource"));
            assertEquals(Map.of("ArnEquals", Map.of("aws:SourceArn", "arn:aws:s3:::" + bucket.getKey()),
                    "StringEquals", Map.of("aws:SourceAccount", CfnEvaluator.ACCOUNT)), send.get("Condition"));
            assertTrue(statements.stream().anyMatch(s -> "Deny".equals(s.get("Effect")) && "*".equals(s.get("Principal"))
                    && map(s.get("Condition")).equals(Map.of("Bool", Map.of("aws:SecureTransport", "false")))), "TLS only");
            assertEquals(List.of(Map.of("Ref", "FeedQueue")), stack.properties("FeedQueuePolicy").get("Queues"));
            assertFalse(stack.references(stack.properties("FeedQueuePolicy")).contains("LogBucket"),
                    "the policy names the bucket from its name: the bucket must be able to wait for the policy");
        }
        Object notification = TemplatePolicy.resources(CfnYaml.read(Path.of(file))).get("LogBucket").get("Properties");
        assertTrue(stack(file, NAMED_BUCKET).references(map(notification).get("NotificationConfiguration")).contains("FeedQueuePolicy"),
                "S3 tests the queue when the notification is set: the policy must be there first");
    }

    @Test
    void theQueueFeedNeedsABucketWhoseNameIsKnownBeforeItExists() throws Exception {
        assertEquals(List.of(), stack(JvmTemplate.NATIVE, Map.of()).failedRules());
        assertEquals(List.of("QueueFeedNeedsABucketName"), stack(JvmTemplate.NATIVE, Map.of("SecOpsFeed", "SQS")).failedRules());
        assertEquals(List.of(), stack(JvmTemplate.NATIVE, NAMED_BUCKET).failedRules());
        assertEquals(List.of(), stack(JvmTemplate.NATIVE, Map.of("SecOpsFeed", "SQS", "ExistingBucketName", "theirs")).failedRules());
    }

    /** With an existing bucket the stack cannot set its notifications (deploy/README.md says how). */
    @Test
    void anExistingBucketIsNotChanged() throws Exception {
        CfnEvaluator stack = stack(JvmTemplate.NATIVE, with(NAMED_BUCKET, "ExistingBucketName", "theirs"));

        assertFalse(stack.created().contains("LogBucket"));
        assertTrue(stack.created().contains("FeedQueuePolicy"));
    }

    @ParameterizedTest
    @ValueSource(strings = {JvmTemplate.NATIVE, JvmTemplate.JVM})
    void theReaderMayOnlyReceiveFromTheQueueAndReadTheLogObjects(String file) throws Exception {
        CfnEvaluator stack = stack(file, WITH_ROLE);
        Map<String, Object> policy = stack.properties("SecOpsFeedReaderPolicy");
        Set<String> granted = new TreeSet<>();
        for (Map<String, Object> s : statements(policy)) {
            if (!"Allow".equals(s.get("Effect"))) continue;
            for (String action : strings(s.get("Action"))) {
                for (Object resource : list(s.get("Resource"))) granted.add(action + " " + shown(resource) + conditionShown(s));
            }
        }

        String bucket = "arn:aws:s3:::${LogBucket}";
        assertEquals(new TreeSet<>(Set.of(
                "sqs:ReceiveMessage FeedQueue.Arn", "sqs:DeleteMessage FeedQueue.Arn", "sqs:ChangeMessageVisibility FeedQueue.Arn",
                "sqs:GetQueueAttributes FeedQueue.Arn",
                "s3:GetObject " + bucket + "/zendesk/crm/*",
                "s3:ListBucket " + bucket + " if {StringLike={s3:prefix=zendesk/crm/*}}",
                "s3:GetBucketLocation " + bucket)), granted);
        assertTrue(statements(policy).contains(Map.of("Sid", "NeverReadOAuthState", "Effect", "Deny", "Action", "s3:GetObject",
                "Resource", bucket + "/zendesk/crm-state/oauth.json")), statements(policy).toString());
        assertEquals(List.of(Map.of("Ref", "SecOpsFeedRole")), policy.get("Roles"));
        assertNull(policy.get("Users"));

        CfnEvaluator withUser = stack(file, NAMED_BUCKET);
        assertEquals(List.of(Map.of("Ref", "SecOpsFeedUser")), withUser.properties("SecOpsFeedReaderPolicy").get("Users"));
        assertNull(withUser.properties("SecOpsFeedReaderPolicy").get("Roles"));
        Map<String, Object> user = withUser.properties("SecOpsFeedUser");
        for (String grant : List.of("Policies", "ManagedPolicyArns", "Groups", "LoginProfile")) assertNull(user.get(grant), grant);
    }

    @ParameterizedTest
    @ValueSource(strings = {JvmTemplate.NATIVE, JvmTemplate.JVM})
    void onlyTheFeedsGoogleIdentityMayAssumeTheRoleAndNoKeyIsMade(String file) throws Exception {
        CfnEvaluator stack = stack(file, WITH_ROLE);
        Map<String, Object> role = stack.properties("SecOpsFeedRole");

        assertEquals(List.of(Map.of("Sid", "OnlyTheSecOpsFeedsGoogleIdentity", "Effect", "Allow",
                "Principal", Map.of("Federated", "accounts.google.com"), "Action", "sts:AssumeRoleWithWebIdentity",
                "Condition", Map.of("StringEquals", Map.of("accounts.google.com:sub", SUBJECT_ID)))),
                statements(map(role.get("AssumeRolePolicyDocument"))));
        for (String grant : List.of("Policies", "ManagedPolicyArns")) assertNull(role.get(grant), grant);

        Map<String, Object> template = CfnYaml.read(Path.of(file));
        TemplatePolicy.resources(template).forEach((id, r) -> assertFalse(String.valueOf(r.get("Type")).equals("AWS::IAM::AccessKey"), id));
        assertFalse(String.valueOf(template.get("Outputs")).contains("SecretAccessKey"));
        Map<String, Object> subjectId = map(map(template.get("Parameters")).get("SecOpsFeedSubjectId"));
        assertEquals("", subjectId.get("Default"), "no role unless the form's subject ID is given");
    }

    @ParameterizedTest
    @ValueSource(strings = {JvmTemplate.NATIVE, JvmTemplate.JVM})
    void theQueueLongPollsIsEncryptedAndHandsWhatFailsToItsDeadLetterQueue(String file) throws Exception {
        CfnEvaluator stack = stack(file, NAMED_BUCKET);
        Map<String, Object> queue = stack.properties("FeedQueue");
        Map<String, Object> dlq = stack.properties("FeedDeadLetterQueue");

        Map<String, Object> redrive = map(queue.get("RedrivePolicy"));
        assertEquals(Map.of("Fn::GetAtt", List.of("FeedDeadLetterQueue", "Arn")), redrive.get("deadLetterTargetArn"));
        int receives = Integer.parseInt(String.valueOf(redrive.get("maxReceiveCount")));
        assertTrue(receives >= 3 && receives <= 20, "retries a few times, then parks the message: " + receives);
        assertEquals(20, queue.get("ReceiveMessageWaitTimeSeconds"), "long polling");
        assertTrue((Integer) queue.get("VisibilityTimeout") >= 60, "time to copy an object before the message shows again");
        assertTrue((Integer) dlq.get("MessageRetentionPeriod") > (Integer) queue.get("MessageRetentionPeriod"),
                "a message keeps its first enqueue time in the dead-letter queue: that must keep it longer");
        for (Map<String, Object> q : List.of(queue, dlq)) assertEquals(true, q.get("SqsManagedSseEnabled"));
        assertEquals(Map.of("Name", "QueueName", "Value", Map.of("Fn::GetAtt", List.of("FeedDeadLetterQueue", "QueueName"))),
                ((List<?>) stack.properties("FeedDeadLetterQueueAlarm").get("Dimensions")).get(0));
        assertEquals(Map.of("Name", "QueueName", "Value", Map.of("Fn::GetAtt", List.of("FeedQueue", "QueueName"))),
                ((List<?>) stack.properties("FeedQueueAgeAlarm").get("Dimensions")).get(0));
    }

    /** The object keys outside DataPrefix that the function's role may write (from its policy), with a sample name for '*'. */
    private static List<String> keysTheFunctionWritesOutsideTheDataPrefix(CfnEvaluator stack) {
        String prefix = (String) stack.resolve(Map.of("Ref", "DataPrefix"));
        List<String> keys = new ArrayList<>();
        for (Object policy : list(stack.properties("FunctionRole").get("Policies"))) {
            for (Map<String, Object> s : statements(map(map(policy).get("PolicyDocument")))) {
                if (!"Allow".equals(s.get("Effect")) || !strings(s.get("Action")).contains("s3:PutObject")) continue;
                for (Object resource : list(s.get("Resource"))) {
                    String arn = (String) resource;
                    String key = arn.substring(arn.indexOf('/', "arn:aws:s3:::".length()) + 1);
                    if (!key.equals(prefix + "*")) keys.add(key.replace("*", "part"));
                }
            }
        }
        return keys;
    }

    private static String prefixFilter(CfnEvaluator stack) {
        Map<String, Object> queue = map(((List<?>) map(stack.properties("LogBucket").get("NotificationConfiguration"))
                .get("QueueConfigurations")).get(0));
        return (String) map(((List<?>) map(map(queue.get("Filter")).get("S3Key")).get("Rules")).get(0)).get("Value");
    }

    /** Whether S3 sends a notification for this key: its prefix filter against the URL-encoded key. */
    private static boolean notified(CfnEvaluator stack, String key) {
        String encoded = URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
        return encoded.startsWith(prefixFilter(stack));
    }

    private static List<Map<String, Object>> statements(Map<String, Object> policy) {
        Map<String, Object> document = policy.containsKey("PolicyDocument") ? map(policy.get("PolicyDocument")) : policy;
        return list(document.get("Statement")).stream().map(SecOpsQueueFeedTest::map).toList();
    }

    private static String shown(Object resource) {
        return resource instanceof String s ? s : String.join(".", strings(map(resource).get("Fn::GetAtt")));
    }

    private static String conditionShown(Map<String, Object> statement) {
        return statement.containsKey("Condition") ? " if " + statement.get("Condition") : "";
    }

    private static List<String> strings(Object node) {
        return list(node).stream().map(String::valueOf).toList();
    }

    private static List<?> list(Object node) {
        return node == null ? List.of() : node instanceof List<?> l ? l : List.of(node);
    }

    private static Map<String, Object> map(Object node) {
        return TemplatePolicy.map(node);
    }

    private static Map<String, String> with(Map<String, String> values, String name, String value) {
        Map<String, String> out = new HashMap<>(values);
        out.put(name, value);
        return out;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.addAll(b);
        return out;
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }
}
