namespace Berth.Daemon.Proxy;

/// <summary>The text of nginx.conf, with {{NAME}} holes that <see cref="NginxConfigRenderer"/> fills; nothing else writes nginx syntax.</summary>
public static class NginxTemplate
{
    public const string Main = """
        # Rendered by berthd from its store; any edit is overwritten.
        user nobody nogroup;
        worker_processes auto;
        error_log {{ERROR_LOG}} warn;

        events {
            worker_connections 1024;
        }

        http {
            default_type application/octet-stream;
            server_tokens off;
            access_log off;
            sendfile on;
            client_body_temp_path {{TEMP}}/body;
            proxy_temp_path {{TEMP}}/proxy;
            fastcgi_temp_path {{TEMP}}/fastcgi;
            uwsgi_temp_path {{TEMP}}/uwsgi;
            scgi_temp_path {{TEMP}}/scgi;
            server_names_hash_bucket_size 128;
            ssl_protocols TLSv1.2 TLSv1.3;
            ssl_session_cache shared:berth_tls:10m;
            log_format berth '$remote_addr [$time_iso8601] "$request" $status $body_bytes_sent $request_time "$http_referer" "$http_user_agent" host=$host upstream=$upstream_addr';

            # A request that is not an upgrade keeps the upstream connection open (keepalive), as on routes without --websocket.
            map $http_upgrade $berth_connection_upgrade {
                default upgrade;
                '' '';
            }
        {{UPSTREAMS}}
            # A name no route has gets 404, never some container's site; ACME's HTTP-01 tokens are served for every name.
            server {
                listen {{HTTP}} default_server{{HTTP_DUAL}};
                server_name _;
        {{CHALLENGE}}        location / {
                    return 404;
                }
            }
        {{TLS_DEFAULT}}{{SERVERS}}}

        """;

    public const string Server = """

            server {
                listen {{HTTP}};
                server_name {{DOMAIN}};
        {{CHALLENGE}}{{LOCATIONS}}    }

        """;

    public const string TlsServer = """

            server {
                listen {{HTTPS}} ssl;
                server_name {{DOMAIN}};
                ssl_certificate {{CERTIFICATE}};
                ssl_certificate_key {{KEY}};
        {{LOCATIONS}}    }

        """;

    /// <summary>Before every route (^~ wins over any other prefix), so no route can swallow ACME's HTTP-01 challenge.</summary>
    public const string Challenge = """
                location ^~ /.well-known/acme-challenge/ {
                    root {{WEBROOT}};
                    default_type text/plain;
                    access_log off;
                    try_files $uri =404;
                }

        """;

    /// <summary>Names without a certificate are refused at the TLS handshake rather than shown another domain's certificate.</summary>
    public const string TlsDefault = """

            server {
                listen {{HTTPS}} ssl default_server{{HTTPS_DUAL}};
                server_name _;
                ssl_reject_handshake on;
            }

        """;

    public const string Redirect = """
                # {{CONTAINER}}
                location {{PATH}} {
                    access_log {{ACCESS_LOG}} berth buffer=64k flush=1s;
                    return 308 https://$host{{HTTPS_PORT}}$request_uri;
                }

        """;

    /// <summary>
    /// A container's route. Its access log is written per 64 KB or per second, not once per request (a line shows up to a
    /// second late; nginx writes what it holds when it reloads or stops).
    /// </summary>
    public const string Location = """
                # {{CONTAINER}}
                location {{PATH}} {
                    access_log {{ACCESS_LOG}} berth buffer=64k flush=1s;
                    proxy_pass http://{{UPSTREAM}};
                    proxy_http_version 1.1;
                    proxy_set_header Host $host;
                    proxy_set_header X-Real-IP $remote_addr;
                    # The edge of the host: what a client claims in its own X-Forwarded-For is not passed on.
                    proxy_set_header X-Forwarded-For $remote_addr;
                    proxy_set_header X-Forwarded-Proto $scheme;
                    proxy_set_header X-Forwarded-Host $host;
                    client_max_body_size {{MAX_BODY}};
                    proxy_request_buffering off;
                    proxy_connect_timeout 10s;
                    proxy_read_timeout {{TIMEOUT}};
                    proxy_send_timeout {{TIMEOUT}};
        {{UPGRADE}}        }

        """;

    /// <summary>
    /// berthd's own panel and API: the secret header tells berthd the forwarded headers are this nginx's (a client's
    /// own are overwritten); upgrades for the console and exec, no buffering either way for events, uploads and archives.
    /// </summary>
    public const string PanelLocation = """
                # {{CONTAINER}}
                location / {
                    access_log {{ACCESS_LOG}} berth buffer=64k flush=1s;
                    proxy_pass http://{{UPSTREAM}};
                    proxy_http_version 1.1;
                    proxy_set_header Host $host;
                    proxy_set_header X-Forwarded-For $remote_addr;
                    proxy_set_header X-Forwarded-Proto $scheme;
                    proxy_set_header X-Forwarded-Host {{DOMAIN}};
                    proxy_set_header X-Forwarded-Port $server_port;
                    proxy_set_header X-Berth-Proxy-Secret {{SECRET}};
                    proxy_set_header Upgrade $http_upgrade;
                    proxy_set_header Connection $berth_connection_upgrade;
                    proxy_buffering off;
                    proxy_request_buffering off;
                    client_max_body_size 0;
                    proxy_connect_timeout 10s;
                    proxy_read_timeout 1h;
                    proxy_send_timeout 1h;
                }

        """;

    /// <summary>One per container address and port: idle connections to it are kept for the next request instead of a new TCP handshake each time.</summary>
    public const string Upstream = """

            upstream {{UPSTREAM}} {
                server {{TARGET}};
                keepalive 32;
            }

        """;

    public const string Upgrade = """
                    proxy_set_header Upgrade $http_upgrade;
                    proxy_set_header Connection $berth_connection_upgrade;

        """;

    public const string NoUpgrade = """
                    proxy_set_header Connection "";

        """;
}
