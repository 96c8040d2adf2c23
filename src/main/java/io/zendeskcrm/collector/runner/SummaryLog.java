package io.zendeskcrm.collector.runner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zendeskcrm.collector.RunSummary;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** One structured log line per pass: the summary as JSON (positions, counts, errors; never credentials or records). */
@ApplicationScoped
public class SummaryLog {
    private static final Logger LOG = Logger.getLogger("io.zendeskcrm.collector.summary");
    private static final ObjectMapper JSON = new ObjectMapper();

    public void log(RunSummary summary) {
        try {
            String line = JSON.writeValueAsString(summary);
            if (summary.ok()) LOG.info(line); else LOG.error(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
