using System.Globalization;

namespace Berth.Bench;

/// <summary>
/// The anchor: the same nginx binary with a configuration as one would write it by hand (keepalive upstream), on its
/// own prefix and port; <c>extra</c> adds directives to its location, to measure what one of Berth's costs.
/// </summary>
public sealed class HandWrittenNginx : IAsyncDisposable
{
    private readonly string _dir;

    private HandWrittenNginx(string dir) => _dir = dir;

    /// <summary>The directives Berth's location has that the hand-written one has not, one variant each ({{LOG}} is this instance's access log).</summary>
    public static IReadOnlyList<(string Name, string Extra)> Variants { get; } =
    [
        ("+ access log, a write per request", "access_log {{LOG}} berth;"),
        ("+ access log buffer=64k flush=1s", "access_log {{LOG}} berth buffer=64k flush=1s;"),
        ("+ forwarded headers", "proxy_set_header X-Real-IP $remote_addr; proxy_set_header X-Forwarded-For $remote_addr; proxy_set_header X-Forwarded-Proto $scheme; proxy_set_header X-Forwarded-Host $host;"),
        ("+ proxy_request_buffering off", "proxy_request_buffering off;"),
    ];

    public static async Task<HandWrittenNginx> StartAsync(string dir, int port, string target, string extra = "")
    {
        Directory.CreateDirectory(Path.Combine(dir, "temp"));
        var conf = Path.Combine(dir, "nginx.conf");
        await File.WriteAllTextAsync(conf, $$"""
            user nobody nogroup;
            worker_processes auto;
            error_log {{dir}}/error.log warn;
            events { worker_connections 1024; }
            http {
                access_log off;
                log_format berth '$remote_addr [$time_iso8601] "$request" $status $body_bytes_sent $request_time "$http_referer" "$http_user_agent" host=$host upstream=$upstream_addr';
                client_body_temp_path {{dir}}/temp/body;
                proxy_temp_path {{dir}}/temp/proxy;
                fastcgi_temp_path {{dir}}/temp/fastcgi;
                uwsgi_temp_path {{dir}}/temp/uwsgi;
                scgi_temp_path {{dir}}/temp/scgi;
                upstream app {
                    server {{target}};
                    keepalive 32;
                }
                server {
                    listen 127.0.0.1:{{port.ToString(CultureInfo.InvariantCulture)}};
                    location / {
                        proxy_pass http://app;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_set_header Host $host;
                        {{extra.Replace("{{LOG}}", Path.Combine(dir, "access.log"), StringComparison.Ordinal)}}
                    }
                }
            }

            """);
        await BenchHost.ToolAsync("nginx", "-p", dir + "/", "-e", Path.Combine(dir, "error.log"), "-c", conf, "-g", $"pid {dir}/nginx.pid;");
        return new HandWrittenNginx(dir);
    }

    /// <summary>
    /// A fast backend for the proxy to be the bottleneck: the host's nginx run in the container's network namespace
    /// (nsenter), answering a short page on <paramref name="port"/> of the container's address, with keepalive.
    /// </summary>
    public static async Task<HandWrittenNginx> StartBackendAsync(string dir, int initPid, int port)
    {
        Directory.CreateDirectory(Path.Combine(dir, "temp"));
        var conf = Path.Combine(dir, "nginx.conf");
        await File.WriteAllTextAsync(conf, $$"""
            user nobody nogroup;
            worker_processes 1;
            error_log {{dir}}/error.log warn;
            events { worker_connections 1024; }
            http {
                access_log off;
                keepalive_requests 100000;
                client_body_temp_path {{dir}}/temp/body;
                proxy_temp_path {{dir}}/temp/proxy;
                fastcgi_temp_path {{dir}}/temp/fastcgi;
                uwsgi_temp_path {{dir}}/temp/uwsgi;
                scgi_temp_path {{dir}}/temp/scgi;
                server {
                    listen {{port.ToString(CultureInfo.InvariantCulture)}};
                    location / {
                        return 200 "hello\n";
                    }
                }
            }

            """);
        await BenchHost.ToolAsync("nsenter", "-t", initPid.ToString(CultureInfo.InvariantCulture), "-n", "nginx", "-p", dir + "/", "-e", Path.Combine(dir, "error.log"), "-c", conf, "-g", $"pid {dir}/nginx.pid;");
        return new HandWrittenNginx(dir);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pid in BenchHost.NginxHolding(Path.Combine(_dir, "error.log")))
        {
            await BenchHost.ToolAsync("kill", "-KILL", pid.ToString(CultureInfo.InvariantCulture));
        }
    }
}
