package io.zendeskcrm.collector.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** Packaged-jar tests that share one fake account (Zendesk and S3) for the class, its data reset before each test. */
abstract class OneAccount {
    static Account account;

    @BeforeAll
    static void startAccount() throws Exception {
        account = new Account();
    }

    @BeforeEach
    void resetZendesk() {
        account.zendesk.reset();
    }

    @AfterAll
    static void closeAccount() throws Exception {
        account.close();
    }
}
