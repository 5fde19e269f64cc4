package dev.mkt.spring.autoconfigure;

import dev.mkt.FsyncPolicy;
import dev.mkt.TrackingConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The {@code mkt.*} properties. They mirror the seed article's configuration template ({@code triggers},
 * {@code compliance}, {@code limits}, {@code reviewRequired}) plus the engine's own settings (data directory,
 * fsync policy, dedup window, ingest endpoint). Every setter validates its value and names the bad one, so a
 * typo fails start-up with a clear message instead of misbehaving later.
 *
 * <pre>
 * mkt:
 *   data-directory: ./mkt-data
 *   limits:
 *     email-per-hour: 500
 *   triggers:
 *     - id: welcome_sequence
 *       event: signup
 *       condition: { email_verified: true }
 *       action: send_email
 *       template: welcome_v1
 * </pre>
 */
@ConfigurationProperties("mkt")
public class MarketingProperties {

  /** Whether to auto-configure the marketing engine at all. */
  private boolean enabled = true;

  /**
   * Where the embedded event log, state, outbox and dead letters live. Relative paths resolve against the working
   * directory.
   */
  private String dataDirectory = "mkt-data";

  /**
   * When the embedded event log fsyncs: {@code always} (before track() returns), {@code group-commit} (the
   * default: within 2 ms, shared by concurrent callers; optionally {@code group-commit:5ms:1000}) or
   * {@code never} (leave it to the OS; tests and throwaway data only).
   */
  private String fsync = "group-commit";

  /** Event deduplication. */
  private final Dedup dedup = new Dedup();

  /** Validation limits of tracked events. */
  private final Tracking tracking = new Tracking();

  /** The embedded event log. */
  private final Log log = new Log();

  /** The reactor: the thread that reads the log, updates per-user state and asks the rules for actions. */
  private final Reactor reactor = new Reactor();

  /** Where the DRL rules come from. */
  private final Rules rules = new Rules();

  /**
   * Triggers in the seed's shape, compiled to DRL next to the rules files. Each needs an {@code id}, an
   * {@code event} and an {@code action}.
   */
  private List<Trigger> triggers = new ArrayList<>();

  /** Consent and privacy. */
  private final Compliance compliance = new Compliance();

  /** Delivery limits. */
  private final Limits limits = new Limits();

  /**
   * Channels whose actions wait for a human approval before they are delivered (the seed's
   * {@code reviewRequired: ['linkedin']}). Each must name a channel mkt knows.
   */
  private List<String> reviewRequired = new ArrayList<>();

  /** Channel settings. */
  private final Channels channels = new Channels();

  /** Message templates. */
  private final Templates templates = new Templates();

  /** One-click unsubscribe (RFC 8058) links and endpoint. */
  private final Unsubscribe unsubscribe = new Unsubscribe();

  /** HTTP endpoints. */
  private final Web web = new Web();

  /** Actuator integration. */
  private final Actuator actuator = new Actuator();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public String getDataDirectory() {
    return dataDirectory;
  }

  public void setDataDirectory(String dataDirectory) {
    if (dataDirectory == null || dataDirectory.isBlank()) {
      throw new IllegalArgumentException("mkt.data-directory must not be blank, but was '" + dataDirectory + "'");
    }
    this.dataDirectory = dataDirectory;
  }

  public String getFsync() {
    return fsync;
  }

  public void setFsync(String fsync) {
    FsyncPolicy.parse(fsync); // fails naming the bad value
    this.fsync = fsync;
  }

  /** The parsed fsync policy. */
  public FsyncPolicy fsyncPolicy() {
    return FsyncPolicy.parse(fsync);
  }

  public Dedup getDedup() {
    return dedup;
  }

  public Tracking getTracking() {
    return tracking;
  }

  public Log getLog() {
    return log;
  }

  public Reactor getReactor() {
    return reactor;
  }

  public Rules getRules() {
    return rules;
  }

  public List<Trigger> getTriggers() {
    return triggers;
  }

  public void setTriggers(List<Trigger> triggers) {
    this.triggers = triggers == null ? new ArrayList<>() : triggers;
  }

  public Compliance getCompliance() {
    return compliance;
  }

  public Limits getLimits() {
    return limits;
  }

  public List<String> getReviewRequired() {
    return reviewRequired;
  }

  public void setReviewRequired(List<String> reviewRequired) {
    List<String> normalized = new ArrayList<>();
    if (reviewRequired != null) {
      for (String channel : reviewRequired) {
        if (channel == null || channel.isBlank()) {
          throw new IllegalArgumentException("mkt.review-required must list channel names, but had a blank one");
        }
        normalized.add(channel.trim().toLowerCase(Locale.ROOT));
      }
    }
    this.reviewRequired = normalized;
  }

  public Channels getChannels() {
    return channels;
  }

  public Templates getTemplates() {
    return templates;
  }

  public Unsubscribe getUnsubscribe() {
    return unsubscribe;
  }

  public Web getWeb() {
    return web;
  }

  public Actuator getActuator() {
    return actuator;
  }

  static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, but was " + value);
    }
  }

  static Duration positive(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be > 0, but was " + value);
    }
    return value;
  }

  /** How events are deduplicated. */
  public static class Dedup {
    /** How long a dedup key is remembered; the same key inside the window is answered DUPLICATE. */
    private Duration window = TrackingConfig.DEFAULT_DEDUP_WINDOW;

    /**
     * What identifies an event: {@code event-id} (the default: the client's id, Segment's messageId, the
     * CloudEvent id) or {@code session-and-type} (the seed's {@code sessionId:type}: one event per type per
     * session).
     */
    private DedupKey key = DedupKey.EVENT_ID;

    /**
     * Upper bound of keys the in-memory dedup store holds; beyond it the oldest go early (counted, and a duplicate
     * older than them gets through). Size it for your rate: at 1,000 events/s a 1 h window holds 3.6 M keys.
     */
    private long maxKeys = dev.mkt.spi.DedupStore.DEFAULT_MAX_KEYS;

    public Duration getWindow() {
      return window;
    }

    public void setWindow(Duration window) {
      this.window = positive("mkt.dedup.window", window);
    }

    public DedupKey getKey() {
      return key;
    }

    public void setKey(DedupKey key) {
      this.key = key;
    }

    public long getMaxKeys() {
      return maxKeys;
    }

    public void setMaxKeys(long maxKeys) {
      positive("mkt.dedup.max-keys", maxKeys);
      this.maxKeys = maxKeys;
    }
  }

  /** The dedup key strategies. */
  public enum DedupKey {
    /** The event's id. */
    EVENT_ID,
    /** {@code sessionId + ":" + type}. */
    SESSION_AND_TYPE
  }

  /** Validation limits of tracked events. */
  public static class Tracking {
    /** Largest payload accepted, measured on its UTF-8 JSON. */
    private DataSize maxPayloadSize = DataSize.ofBytes(TrackingConfig.DEFAULT_MAX_PAYLOAD_BYTES);

    /** Deepest nesting of objects and arrays in a payload. */
    private int maxDepth = TrackingConfig.DEFAULT_MAX_DEPTH;

    /** How far in the future an event's timestamp may be. */
    private Duration maxFutureSkew = TrackingConfig.DEFAULT_MAX_FUTURE_SKEW;

    /** Longest id, type, userId or sessionId. */
    private int maxIdLength = TrackingConfig.DEFAULT_MAX_ID_LENGTH;

    public DataSize getMaxPayloadSize() {
      return maxPayloadSize;
    }

    public void setMaxPayloadSize(DataSize maxPayloadSize) {
      this.maxPayloadSize = maxPayloadSize;
    }

    public int getMaxDepth() {
      return maxDepth;
    }

    public void setMaxDepth(int maxDepth) {
      this.maxDepth = maxDepth;
    }

    public Duration getMaxFutureSkew() {
      return maxFutureSkew;
    }

    public void setMaxFutureSkew(Duration maxFutureSkew) {
      this.maxFutureSkew = maxFutureSkew;
    }

    public int getMaxIdLength() {
      return maxIdLength;
    }

    public void setMaxIdLength(int maxIdLength) {
      this.maxIdLength = maxIdLength;
    }
  }

  /** The embedded event log. */
  public static class Log {
    /** Size at which a segment file is closed and a new one started. */
    private DataSize segmentSize = DataSize.ofMegabytes(64);

    /** Closed segments whose newest record is older than this are deleted. */
    private Duration retention = Duration.ofDays(30);

    /** Oldest closed segments are deleted while the log is larger than this; unset means no size bound. */
    private DataSize retentionSize;

    public DataSize getSegmentSize() {
      return segmentSize;
    }

    public void setSegmentSize(DataSize segmentSize) {
      this.segmentSize = segmentSize;
    }

    public Duration getRetention() {
      return retention;
    }

    public void setRetention(Duration retention) {
      this.retention = positive("mkt.log.retention", retention);
    }

    public DataSize getRetentionSize() {
      return retentionSize;
    }

    public void setRetentionSize(DataSize retentionSize) {
      this.retentionSize = retentionSize;
    }
  }

  /** The reactor thread. */
  public static class Reactor {
    /** Log records taken per batch. */
    private int batchSize = 512;

    /**
     * How often the reactor checkpoints its state and commits its position. A crash replays at most this much of
     * the log, deciding nothing new. Each commit costs a few fsyncs, so shorter intervals cost throughput.
     */
    private Duration commitInterval = Duration.ofSeconds(1);

    public int getBatchSize() {
      return batchSize;
    }

    public void setBatchSize(int batchSize) {
      this.batchSize = batchSize;
    }

    public Duration getCommitInterval() {
      return commitInterval;
    }

    public void setCommitInterval(Duration commitInterval) {
      this.commitInterval = commitInterval;
    }
  }

  /** Where the DRL rules come from. */
  public static class Rules {
    /** Whether to load DRL rules (needs mkt-rules on the class path). */
    private boolean enabled = true;

    /** Class-path folders whose {@code .drl} files are loaded. */
    private List<String> locations = new ArrayList<>(List.of("rules/"));

    /** A file-system folder of {@code .drl} files, loaded in addition to the class-path locations. */
    private String directory;

    /** Whether to recompile the rules when a file in {@code directory} changes (a failed reload keeps the old rules). */
    private boolean hotReload = false;

    /** Whether to load mkt's shipped seed triggers (welcome, power user, payment recovery, win-back, churn). */
    private boolean seedTriggers = false;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public List<String> getLocations() {
      return locations;
    }

    public void setLocations(List<String> locations) {
      this.locations = locations == null ? new ArrayList<>() : locations;
    }

    public String getDirectory() {
      return directory;
    }

    public void setDirectory(String directory) {
      this.directory = directory;
    }

    public boolean isHotReload() {
      return hotReload;
    }

    public void setHotReload(boolean hotReload) {
      this.hotReload = hotReload;
    }

    public boolean isSeedTriggers() {
      return seedTriggers;
    }

    public void setSeedTriggers(boolean seedTriggers) {
      this.seedTriggers = seedTriggers;
    }
  }

  /** A trigger in the seed's shape. */
  public static class Trigger {
    /** Unique id; also the rule name and part of every action's idempotency key. */
    private String id;

    /** The event type that fires it, e.g. {@code signup}. */
    private String event;

    /**
     * Conditions on the event payload ({@code email_verified: true}, {@code score: 0.8} meaning at least 0.8) or a
     * window ({@code count: 5, window: 24h} meaning more than 5 such events in 24 h).
     */
    private Map<String, Object> condition = new LinkedHashMap<>();

    /** What to do: {@code send_email}, {@code create_ticket}, {@code post_social}, ... */
    private String action;

    /** The template to send, e.g. {@code welcome_v1}. */
    private String template;

    /** The channel, if the action does not imply it. */
    private String channel;

    /** {@code immediate} or a duration like {@code 2h}. */
    private String delay = "immediate";

    /** {@code low}, {@code normal} or {@code high}. */
    private String priority;

    /** At most one such action per user, ever. */
    private Boolean once;

    /** For {@code create_task}: the task name (defaults to the template, then the id). */
    private String task;

    public Boolean getOnce() {
      return once;
    }

    public void setOnce(Boolean once) {
      this.once = once;
    }

    public String getTask() {
      return task;
    }

    public void setTask(String task) {
      this.task = task;
    }

    public String getId() {
      return id;
    }

    public void setId(String id) {
      this.id = id;
    }

    public String getEvent() {
      return event;
    }

    public void setEvent(String event) {
      this.event = event;
    }

    public Map<String, Object> getCondition() {
      return condition;
    }

    public void setCondition(Map<String, Object> condition) {
      this.condition = condition == null ? new LinkedHashMap<>() : condition;
    }

    public String getAction() {
      return action;
    }

    public void setAction(String action) {
      this.action = action;
    }

    public String getTemplate() {
      return template;
    }

    public void setTemplate(String template) {
      this.template = template;
    }

    public String getChannel() {
      return channel;
    }

    public void setChannel(String channel) {
      this.channel = channel;
    }

    public String getDelay() {
      return delay;
    }

    public void setDelay(String delay) {
      this.delay = delay;
    }

    public String getPriority() {
      return priority;
    }

    public void setPriority(String priority) {
      this.priority = priority;
    }
  }

  /** Consent and privacy (the seed's {@code compliance} block). */
  public static class Compliance {
    /**
     * GDPR mode. mkt never logs email addresses in clear text and its pages mask them; exports and deletion after
     * {@code data-retention-days} arrive with the retention work (see docs/spring.md#compliance).
     */
    private boolean gdpr = true;

    /**
     * Whether marketing messages need a consent. When true, the application must provide at least one
     * {@code ConsentGate} bean that knows its users' consents (start-up fails without one); its verdict is asked
     * for every action at send time.
     */
    private boolean consentRequired = false;

    /** Days after which a contact's personal data and activity should be deleted (see docs/spring.md#compliance). */
    private int dataRetentionDays = 365;

    /**
     * Whether an opt-out stops every channel at once. It always does in mkt ({@code Marketing.optOut}); per-channel
     * stops are {@code Marketing.unsubscribe(user, channel)}. {@code false} is refused at start-up.
     */
    private boolean optOutGlobal = true;

    public boolean isGdpr() {
      return gdpr;
    }

    public void setGdpr(boolean gdpr) {
      this.gdpr = gdpr;
    }

    public boolean isConsentRequired() {
      return consentRequired;
    }

    public void setConsentRequired(boolean consentRequired) {
      this.consentRequired = consentRequired;
    }

    public int getDataRetentionDays() {
      return dataRetentionDays;
    }

    public void setDataRetentionDays(int dataRetentionDays) {
      positive("mkt.compliance.data-retention-days", dataRetentionDays);
      this.dataRetentionDays = dataRetentionDays;
    }

    public boolean isOptOutGlobal() {
      return optOutGlobal;
    }

    public void setOptOutGlobal(boolean optOutGlobal) {
      if (!optOutGlobal) {
        throw new IllegalArgumentException("mkt.compliance.opt-out-global=false is not supported: an opt-out always "
            + "stops every channel; use Marketing.unsubscribe(userId, channel) to stop one channel");
      }
      this.optOutGlobal = optOutGlobal;
    }
  }

  /** Delivery limits (the seed's {@code limits} block). */
  public static class Limits {
    /** Emails sent per hour, across all users; more wait for the next slot. */
    private int emailPerHour = 500;

    /** Social posts per day, per channel. */
    private int socialPostPerDay = 3;

    /** Delivery attempts after the first before an action is dead-lettered. */
    private int maxRetries = 3;

    public int getEmailPerHour() {
      return emailPerHour;
    }

    public void setEmailPerHour(int emailPerHour) {
      positive("mkt.limits.email-per-hour", emailPerHour);
      this.emailPerHour = emailPerHour;
    }

    public int getSocialPostPerDay() {
      return socialPostPerDay;
    }

    public void setSocialPostPerDay(int socialPostPerDay) {
      positive("mkt.limits.social-post-per-day", socialPostPerDay);
      this.socialPostPerDay = socialPostPerDay;
    }

    public int getMaxRetries() {
      return maxRetries;
    }

    public void setMaxRetries(int maxRetries) {
      if (maxRetries < 0) {
        throw new IllegalArgumentException("mkt.limits.max-retries must be >= 0, but was " + maxRetries);
      }
      this.maxRetries = maxRetries;
    }
  }

  /** Channel settings. */
  public static class Channels {
    /** Email. */
    private final Email email = new Email();

    /**
     * Any other channel property by its flat key, passed to the channel providers as is, e.g.
     * {@code mkt.channels.properties.discord.webhook-url=https://...} or
     * {@code mkt.channels.properties.email.headers.X-Campaign=onboarding}. See docs/spi.md and docs/email.md.
     */
    private Map<String, String> properties = new LinkedHashMap<>();

    public Email getEmail() {
      return email;
    }

    public Map<String, String> getProperties() {
      return properties;
    }

    public void setProperties(Map<String, String> properties) {
      this.properties = properties == null ? new LinkedHashMap<>() : properties;
    }
  }

  /** The email channel. */
  public static class Email {
    /** Whether the email channel is configured. */
    private boolean enabled = true;

    /** Which provider delivers: {@code smtp} or {@code resend}; unset picks the only one configured. */
    private String provider;

    /** The From address, e.g. {@code Acme <hello@mail.acme.dev>}. */
    private String from;

    /** The Reply-To address, if different. */
    private String replyTo;

    /** The dedicated sending (sub)domain; From must be on it, Message-IDs use it. Default: From's domain. */
    private String domain;

    /** What the templates call the product, e.g. {@code Acme}. Default: From's display name. */
    private String productName;

    /** The product's URL, linked from the templates. */
    private String productUrl;

    /** SMTP settings. */
    private final Smtp smtp = new Smtp();

    /** Resend HTTP API settings. */
    private final Resend resend = new Resend();

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getProvider() {
      return provider;
    }

    public void setProvider(String provider) {
      this.provider = provider;
    }

    public String getFrom() {
      return from;
    }

    public void setFrom(String from) {
      this.from = from;
    }

    public String getReplyTo() {
      return replyTo;
    }

    public void setReplyTo(String replyTo) {
      this.replyTo = replyTo;
    }

    public String getDomain() {
      return domain;
    }

    public void setDomain(String domain) {
      this.domain = domain;
    }

    public String getProductName() {
      return productName;
    }

    public void setProductName(String productName) {
      this.productName = productName;
    }

    public String getProductUrl() {
      return productUrl;
    }

    public void setProductUrl(String productUrl) {
      this.productUrl = productUrl;
    }

    public Smtp getSmtp() {
      return smtp;
    }

    public Resend getResend() {
      return resend;
    }
  }

  /** SMTP server settings. */
  public static class Smtp {
    /** SMTP host; unset means SMTP is not configured. */
    private String host;

    /** SMTP port. Default: 587 for {@code starttls}, 465 for {@code smtps}, 25 for {@code none}. */
    private Integer port;

    /** User name, if the server needs authentication. */
    private String username;

    /** Password. */
    private String password;

    /** Transport security: {@code starttls} (required), {@code smtps} (TLS from the start) or {@code none}. */
    private String security = "starttls";

    /** Connect, read and write timeout. */
    private Duration timeout = Duration.ofSeconds(30);

    /** Pooled SMTP connections. */
    private int poolSize = 8;

    public String getHost() {
      return host;
    }

    public void setHost(String host) {
      this.host = host;
    }

    public Integer getPort() {
      return port;
    }

    public void setPort(Integer port) {
      if (port != null && (port < 1 || port > 65535)) {
        throw new IllegalArgumentException("mkt.channels.email.smtp.port must be in [1, 65535], but was " + port);
      }
      this.port = port;
    }

    public String getUsername() {
      return username;
    }

    public void setUsername(String username) {
      this.username = username;
    }

    public String getPassword() {
      return password;
    }

    public void setPassword(String password) {
      this.password = password;
    }

    public String getSecurity() {
      return security;
    }

    public void setSecurity(String security) {
      String s = security == null ? "" : security.trim().toLowerCase(Locale.ROOT);
      if (!s.equals("starttls") && !s.equals("smtps") && !s.equals("none")) {
        throw new IllegalArgumentException("mkt.channels.email.smtp.security must be starttls, smtps or none, "
            + "but was '" + security + "'");
      }
      this.security = s;
    }

    public int getPoolSize() {
      return poolSize;
    }

    public void setPoolSize(int poolSize) {
      if (poolSize < 1 || poolSize > 256) {
        throw new IllegalArgumentException("mkt.channels.email.smtp.pool-size must be in [1, 256], but was "
            + poolSize);
      }
      this.poolSize = poolSize;
    }

    public Duration getTimeout() {
      return timeout;
    }

    public void setTimeout(Duration timeout) {
      this.timeout = positive("mkt.channels.email.smtp.timeout", timeout);
    }
  }

  /** Resend HTTP email API settings. */
  public static class Resend {
    /** API key ({@code re_...}); unset means Resend is not configured. */
    private String apiKey;

    /** API base URL. */
    private String baseUrl = "https://api.resend.com";

    public String getApiKey() {
      return apiKey;
    }

    public void setApiKey(String apiKey) {
      this.apiKey = apiKey;
    }

    public String getBaseUrl() {
      return baseUrl;
    }

    public void setBaseUrl(String baseUrl) {
      this.baseUrl = baseUrl;
    }
  }

  /** Message templates. */
  public static class Templates {
    /** Class-path folder of templates, laid out as {@code <channel>/<template>.<ext>}. */
    private String location = "templates/";

    public String getLocation() {
      return location;
    }

    public void setLocation(String location) {
      this.location = location;
    }
  }

  /** One-click unsubscribe. */
  public static class Unsubscribe {
    /** Whether to serve the unsubscribe endpoint. */
    private boolean enabled = true;

    /** Path of the unsubscribe endpoint (GET shows a confirmation page, POST unsubscribes per RFC 8058). */
    private String path = "/mkt/unsubscribe";

    /** Public base URL of this application, used to build the links in List-Unsubscribe headers and footers. */
    private String baseUrl = "http://localhost:8080";

    /**
     * Secret that signs unsubscribe tokens (at least 32 bytes). Unset: a random one is generated once and kept in
     * {@code <data-directory>/unsubscribe.key}, so links stay valid across restarts of this instance; set it
     * explicitly when several instances serve the links.
     */
    private String secret;

    /** How long an unsubscribe link stays valid (emails are opened weeks later). */
    private Duration tokenValidity = Duration.ofDays(90);

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getPath() {
      return path;
    }

    public void setPath(String path) {
      this.path = Web.path("mkt.unsubscribe.path", path);
    }

    public String getBaseUrl() {
      return baseUrl;
    }

    public void setBaseUrl(String baseUrl) {
      this.baseUrl = baseUrl;
    }

    public String getSecret() {
      return secret;
    }

    public void setSecret(String secret) {
      this.secret = secret;
    }

    public Duration getTokenValidity() {
      return tokenValidity;
    }

    public void setTokenValidity(Duration tokenValidity) {
      this.tokenValidity = positive("mkt.unsubscribe.token-validity", tokenValidity);
    }
  }

  /** HTTP endpoints. */
  public static class Web {
    /** Event ingest. */
    private final Events events = new Events();

    public Events getEvents() {
      return events;
    }

    static String path(String name, String path) {
      if (path == null || !path.startsWith("/") || path.contains(" ")) {
        throw new IllegalArgumentException(name + " must be a path starting with '/', but was '" + path + "'");
      }
      return path;
    }
  }

  /** The event ingest endpoint. */
  public static class Events {
    /** Whether to serve the ingest endpoint (it also needs a signing secret, or allow-unsigned). */
    private boolean enabled = true;

    /** Path of the ingest endpoint. */
    private String path = "/mkt/events";

    /** Largest request body accepted; larger ones are answered 413. */
    private DataSize maxBodySize = DataSize.ofKilobytes(512);

    /**
     * Standard Webhooks signing secrets ({@code whsec_<base64>}). A request must carry a valid {@code v1}
     * signature by one of them. List two while rotating.
     */
    private List<String> secrets = new ArrayList<>();

    /** How far the {@code webhook-timestamp} may be from now, either way. */
    private Duration tolerance = Duration.ofMinutes(5);

    /** Serve the endpoint without signature verification. Only for a trusted network. */
    private boolean allowUnsigned = false;

    /** Segment mapping. */
    private final Segment segment = new Segment();

    /** CloudEvents mapping. */
    private final CloudEvents cloudevents = new CloudEvents();

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getPath() {
      return path;
    }

    public void setPath(String path) {
      this.path = Web.path("mkt.web.events.path", path);
    }

    public DataSize getMaxBodySize() {
      return maxBodySize;
    }

    public void setMaxBodySize(DataSize maxBodySize) {
      if (maxBodySize == null || maxBodySize.toBytes() < 2 || maxBodySize.toBytes() > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("mkt.web.events.max-body-size must be in [2B, 2GB), but was "
            + maxBodySize);
      }
      this.maxBodySize = maxBodySize;
    }

    public List<String> getSecrets() {
      return secrets;
    }

    public void setSecrets(List<String> secrets) {
      this.secrets = secrets == null ? new ArrayList<>() : secrets;
    }

    public Duration getTolerance() {
      return tolerance;
    }

    public void setTolerance(Duration tolerance) {
      this.tolerance = positive("mkt.web.events.tolerance", tolerance);
    }

    public boolean isAllowUnsigned() {
      return allowUnsigned;
    }

    public void setAllowUnsigned(boolean allowUnsigned) {
      this.allowUnsigned = allowUnsigned;
    }

    public Segment getSegment() {
      return segment;
    }

    public CloudEvents getCloudevents() {
      return cloudevents;
    }
  }

  /** How Segment calls become mkt events. */
  public static class Segment {
    /** Segment event names mapped to mkt event types, e.g. {@code "Signed Up": signup}. */
    private Map<String, String> eventTypes = new LinkedHashMap<>();

    /**
     * Whether unmapped event names become snake_case types ({@code "Feature Used"} becomes {@code feature_used});
     * otherwise they are kept as they are.
     */
    private boolean snakeCaseEventNames = true;

    /** The mkt type of {@code page} calls. */
    private String pageType = "page_view";

    /** The mkt type of {@code screen} calls. */
    private String screenType = "screen_view";

    public Map<String, String> getEventTypes() {
      return eventTypes;
    }

    public void setEventTypes(Map<String, String> eventTypes) {
      this.eventTypes = eventTypes == null ? new LinkedHashMap<>() : eventTypes;
    }

    public boolean isSnakeCaseEventNames() {
      return snakeCaseEventNames;
    }

    public void setSnakeCaseEventNames(boolean snakeCaseEventNames) {
      this.snakeCaseEventNames = snakeCaseEventNames;
    }

    public String getPageType() {
      return pageType;
    }

    public void setPageType(String pageType) {
      this.pageType = pageType;
    }

    public String getScreenType() {
      return screenType;
    }

    public void setScreenType(String screenType) {
      this.screenType = screenType;
    }
  }

  /** How CloudEvents become mkt events. */
  public static class CloudEvents {
    /** CloudEvent types mapped to mkt event types, e.g. {@code com.acme.user.signup: signup}. */
    private Map<String, String> types = new LinkedHashMap<>();

    /** A prefix stripped from unmapped CloudEvent types, e.g. {@code com.acme.}. */
    private String typePrefix;

    public Map<String, String> getTypes() {
      return types;
    }

    public void setTypes(Map<String, String> types) {
      this.types = types == null ? new LinkedHashMap<>() : types;
    }

    public String getTypePrefix() {
      return typePrefix;
    }

    public void setTypePrefix(String typePrefix) {
      this.typePrefix = typePrefix;
    }
  }

  /** Actuator integration. */
  public static class Actuator {
    /** Reactor lag (records appended but not processed) above which the health indicator reports DOWN. */
    private long maxLag = 100_000;

    public long getMaxLag() {
      return maxLag;
    }

    public void setMaxLag(long maxLag) {
      positive("mkt.actuator.max-lag", maxLag);
      this.maxLag = maxLag;
    }
  }
}
