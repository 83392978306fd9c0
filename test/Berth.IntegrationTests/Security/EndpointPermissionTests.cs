using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Security;

/// <summary>
/// The real daemon's endpoints, as it serves them: every one declares what it needs (berthd would not start
/// otherwise), and the set covers every operation its OpenAPI document offers, so none is reachable undeclared.
/// </summary>
public sealed class EndpointPermissionTests(HttpBerthEnvironment env) : IClassFixture<HttpBerthEnvironment>
{
    private HttpClient Admin()
    {
        var http = new HttpClient { BaseAddress = env.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", env.AdminToken);
        return http;
    }

    [Fact]
    public async Task EveryEndpoint_DeclaresAPermission_AndCoversTheOpenApiDocument()
    {
        using var http = Admin();
        var endpoints = await http.GetFromJsonAsync<List<EndpointInfo>>("api/v1/admin/endpoints", BerthJson.Options);
        Assert.NotNull(endpoints);
        Assert.True(endpoints.Count > 40, $"only {endpoints.Count} endpoints listed");
        var undeclared = endpoints.Where(e => e.Permission == "none").Select(e => $"{e.Method} {e.Route}").ToList();
        Assert.Empty(undeclared);

        using var document = JsonDocument.Parse(await http.GetStringAsync("openapi/v1.json"));
        var listed = endpoints.SelectMany(e => e.Method.Split(',').Select(m => $"{m} {e.Route}")).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var offered = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(op => op.Name is "get" or "post" or "put" or "patch" or "delete").Select(op => $"{op.Name.ToUpperInvariant()} {path.Name}"))
            .ToList();
        Assert.NotEmpty(offered);
        var unlisted = offered.Where(o => !listed.Contains(o)).ToList();
        Assert.Empty(unlisted);
    }

    [Theory]
    [InlineData("POST", "/api/v1/admin/shutdown", "admin changes")]
    [InlineData("DELETE", "/api/v1/containers/{name}", "caller changes own container {name}")]
    [InlineData("GET", "/api/v1/containers/{name}/exec", "caller changes own container {name}")]
    [InlineData("GET", "/api/v1/containers", "caller reads")]
    [InlineData("POST", "/api/v1/containers/import", "caller changes")]
    [InlineData("GET", "/api/v1/containers/{name}/export", "caller reads own container {name}")]
    [InlineData("DELETE", "/api/v1/images/{alias}", "caller changes own image {alias}")]
    [InlineData("POST", "/api/v1/auth/login", "open")]
    [InlineData("GET", "/api/v1/jobs/{id}", "caller reads own job {id}")]
    [InlineData("POST", "/api/v1/backups/{backup}/restore", "caller changes own backup {backup}")]
    [InlineData("DELETE", "/api/v1/containers/{name}/backups/{backup}", "caller changes own backup {backup}")]
    [InlineData("POST", "/api/v1/backup-targets/{target}/key", "admin changes")]
    public async Task Endpoint_DeclaresWhatItActsOn(string method, string route, string permission)
    {
        using var http = Admin();
        var endpoints = await http.GetFromJsonAsync<List<EndpointInfo>>("api/v1/admin/endpoints", BerthJson.Options);

        Assert.Equal(permission, Assert.Single(endpoints!, e => e.Method == method && e.Route == route).Permission);
    }

    [Fact]
    public async Task EndpointList_WithoutCredentials_IsRefused()
    {
        using var http = new HttpClient { BaseAddress = env.BaseAddress };

        var response = await http.GetAsync(new Uri("api/v1/admin/endpoints", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
