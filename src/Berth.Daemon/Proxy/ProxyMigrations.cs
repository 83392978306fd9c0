using Berth.Daemon.Store;

namespace Berth.Daemon.Proxy;

/// <summary>The proxy feature's schema steps (numbers 300 and up).</summary>
public static class ProxyMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(300, "proxy routes",
            """
            CREATE TABLE proxy_routes (
                domain TEXT NOT NULL,
                path TEXT NOT NULL,
                container TEXT NOT NULL,
                port INTEGER NOT NULL,
                max_body TEXT NOT NULL,
                timeout TEXT NOT NULL,
                websocket INTEGER NOT NULL,
                created_at TEXT NOT NULL,
                PRIMARY KEY (domain, path)
            );
            CREATE INDEX proxy_routes_container ON proxy_routes (container);
            """),
        new(301, "proxy certificates",
            """
            CREATE TABLE proxy_certificates (
                name TEXT PRIMARY KEY,
                domains TEXT NOT NULL,
                not_before TEXT NOT NULL,
                not_after TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                created_at TEXT NOT NULL
            );
            """),
        new(302, "banned domains",
            """
            CREATE TABLE domain_bans (
                pattern TEXT PRIMARY KEY,
                created_at TEXT NOT NULL
            );
            """),
        new(303, "route tls and https redirect",
            """
            ALTER TABLE proxy_routes ADD COLUMN tls TEXT NULL;
            ALTER TABLE proxy_routes ADD COLUMN redirect_https INTEGER NOT NULL DEFAULT 0;
            """),
        new(304, "acme certificates",
            """
            ALTER TABLE proxy_certificates ADD COLUMN origin TEXT NOT NULL DEFAULT 'file';
            CREATE TABLE acme_certificates (
                name TEXT PRIMARY KEY,
                domains TEXT NOT NULL,
                challenge TEXT NOT NULL,
                for_route INTEGER NOT NULL,
                failures INTEGER NOT NULL DEFAULT 0,
                next_attempt TEXT NULL,
                last_error TEXT NULL,
                created_at TEXT NOT NULL
            );
            """),
        new(305, "panel routes",
            """
            CREATE TABLE panel_routes (
                domain TEXT PRIMARY KEY,
                tls TEXT NULL,
                redirect_https INTEGER NOT NULL DEFAULT 0,
                created_at TEXT NOT NULL
            );
            """),
    ];
}
