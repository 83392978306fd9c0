using System.Globalization;

namespace Berth.Bench;

/// <summary>The anchor: the same nginx binary with a configuration as one would write it by hand (keepalive upstream), on its own prefix and port.</summary>
public sealed class HandWrittenNginx : IAsyncDisposable
{
    private readonly string _dir;

    private HandWrittenNginx(string dir) => _dir = dir;

    public static async Task<HandWrittenNginx> StartAsync(string dir, int port, string address)
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
                client_body_temp_path {{dir}}/temp/body;
                proxy_temp_path {{dir}}/temp/proxy;
                fastcgi_temp_path {{dir}}/temp/fastcgi;
                uwsgi_temp_path {{dir}}/temp/uwsgi;
                scgi_temp_path {{dir}}/temp/scgi;
                upstream app {
                    server {{address}}:80;
                    keepalive 32;
                }
                server {
                    listen 127.0.0.1:{{port.ToString(CultureInfo.InvariantCulture)}};
                    location / {
                        proxy_pass http://app;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_set_header Host $host;
                    }
                }
            }

            """);
        await BenchHost.ToolAsync("nginx", "-p", dir + "/", "-e", Path.Combine(dir, "error.log"), "-c", conf, "-g", $"pid {dir}/nginx.pid;");
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
