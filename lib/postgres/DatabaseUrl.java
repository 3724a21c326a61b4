import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Where a PostgreSQL database is: a JDBC URL without credentials, plus user and password kept apart so that nothing
 * ever prints the password ({@link #toString} shows the URL and the user only). Parses JDBC URLs
 * ({@code jdbc:postgresql://host:port/db?user=u&password=p}) and the SQLAlchemy form
 * ({@code postgresql+psycopg2://user:pass@host:port/db}, also {@code postgresql://} and {@code postgres://}).
 */
record DatabaseUrl(String jdbcUrl, String user, String password) {
    static final String SQLALCHEMY_ENV = "SQLALCHEMY_DATABASE_URI";

    DatabaseUrl {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + redact(jdbcUrl));
        }
    }

    static DatabaseUrl parse(String url) {
        if (url == null || url.isBlank()) throw new IllegalArgumentException("database URL is empty");
        String u = url.trim();
        if (u.startsWith("jdbc:postgresql:")) return fromJdbc(u);
        int scheme = u.indexOf("://");
        if (scheme < 0) throw new IllegalArgumentException("database URL has no scheme: " + redact(u));
        String s = u.substring(0, scheme);
        if (!(s.equals("postgresql") || s.equals("postgres") || s.startsWith("postgresql+"))) {
            throw new IllegalArgumentException("database URL scheme \"" + s + "\" is not PostgreSQL (expected jdbc:postgresql: or postgresql+psycopg2://)");
        }
        URI uri = URI.create("postgresql" + u.substring(scheme));
        String user = null, password = null;
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
        }
        if (uri.getHost() == null) throw new IllegalArgumentException("database URL has no host: " + redact(u));
        String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
        String jdbc = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + "/" + db;
        return new DatabaseUrl(jdbc, user, password);
    }

    private static DatabaseUrl fromJdbc(String u) {
        int q = u.indexOf('?');
        if (q < 0) return new DatabaseUrl(u, null, null);
        String user = null, password = null;
        var kept = new StringBuilder();
        for (String kv : u.substring(q + 1).split("&")) {
            if (kv.isEmpty()) continue;
            int eq = kv.indexOf('=');
            String k = eq < 0 ? kv : kv.substring(0, eq);
            String v = eq < 0 ? "" : decode(kv.substring(eq + 1));
            if (k.equals("user")) user = v;
            else if (k.equals("password")) password = v;
            else kept.append(kept.isEmpty() ? "?" : "&").append(kv);
        }
        return new DatabaseUrl(u.substring(0, q) + kept, user, password);
    }

    private static String decode(String s) { return URLDecoder.decode(s, StandardCharsets.UTF_8); }

    /** The URL with any password replaced by ***, for messages about URLs we could not parse. */
    static String redact(String url) {
        if (url == null) return "null";
        return url.replaceAll("(://[^:/@]*:)[^@]*@", "$1***@").replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    Connection connect() throws SQLException {
        var props = new Properties();
        if (user != null) props.setProperty("user", user);
        if (password != null) props.setProperty("password", password);
        return DriverManager.getConnection(jdbcUrl, props);
    }

    @Override
    public String toString() { return jdbcUrl + (user == null ? "" : " (user " + user + ")"); }
}
