using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.IntegrationTests.Panel;

/// <summary>A page served from another loopback port than the panel's: same site for the browser, so the panel's SameSite=Strict cookie rides along.</summary>
public sealed class ForeignPage : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _html;

    public ForeignPage(string html)
    {
        _html = html;
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}/");
        probe.Stop();
        _listener.Prefixes.Add(Address.ToString());
        _listener.Start();
        _ = ServeAsync();
    }

    public Uri Address { get; }

    public void Dispose() => _listener.Close();

    private async Task ServeAsync()
    {
        var body = Encoding.UTF8.GetBytes(_html);
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }
}
