using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Users;

/// <summary>HTTP clients for the users tests: with cookies, from a chosen loopback source address, or with a bearer token.</summary>
internal static class UserHttp
{
    /// <summary>A browser-like client (keeps cookies) whose connections come from <paramref name="source"/> (127.0.0.0/8), so its failed logins count for that address only.</summary>
    public static HttpClient Browser(HttpBerthEnvironment env, string source = "127.0.0.1")
    {
        var handler = new SocketsHttpHandler
        {
            CookieContainer = new CookieContainer(),
            UseProxy = false,
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
                    await socket.ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler, disposeHandler: true) { BaseAddress = env.BaseAddress };
    }

    public static HttpClient Bearer(HttpBerthEnvironment env, string token)
    {
        var http = new HttpClient { BaseAddress = env.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    public static Task<HttpResponseMessage> LoginAsync(HttpClient http, string user, string password, string? code = null) =>
        http.PostAsJsonAsync("api/v1/auth/login", new LoginRequest(User: user, Password: password, Code: code));

    public static async Task<ProblemInfo> ProblemAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<ProblemInfo>(BerthJson.Options))!;

    /// <summary>A change with the session's CSRF header, as the panel sends it.</summary>
    public static Task<HttpResponseMessage> SendWithCsrfAsync(HttpClient http, HttpMethod method, string path, string csrf, object? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body, options: BerthJson.Options) };
        request.Headers.Add("X-Berth-Csrf", csrf);
        return http.SendAsync(request);
    }
}
