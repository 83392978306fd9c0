using Berth.Daemon.Access;
using Berth.Daemon.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Berth.Daemon.Errors;

namespace Berth.Tests.Daemon.Access;

public sealed class PermissionGateTests
{
    private static readonly Caller Alice = new() { Name = "alice", Role = Role.Member };
    private static readonly Caller Bob = new() { Name = "bob", Role = Role.Member };
    private static readonly Caller Admin = new() { Name = "ada", Role = Role.Admin };

    private sealed class Lookup(ObjectKind kind, Dictionary<string, OwnerLookup> objects) : IOwnerLookup
    {
        public ObjectKind Kind => kind;

        public Task<OwnerLookup?> FindAsync(string name, CancellationToken cancellationToken) =>
            Task.FromResult(objects.TryGetValue(name, out var found) ? found : null);

        public Exception NotFound(string name) => DomainError.NotFound("Container not found", $"no container '{name}'");
    }

    private static readonly Lookup Containers = new(ObjectKind.Container, new()
    {
        ["alices"] = new OwnerLookup("alice"),
        ["roots"] = new OwnerLookup(null),
    });

    /// <summary>Runs the gate for one request; returns the status it answered with, or 0 when it let the request through.</summary>
    private static async Task<int> RunAsync(EndpointPermission? permission, Caller? caller, string? name = null, string method = "GET", bool scrape = false)
    {
        var passed = false;
        var gate = new PermissionGate(_ => { passed = true; return Task.CompletedTask; }, [Containers]);
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Response.Body = new MemoryStream();
        var metadata = permission is null ? new EndpointMetadataCollection()
            : scrape ? new EndpointMetadataCollection(permission, MetricsScrape.Instance) : new EndpointMetadataCollection(permission);
        context.SetEndpoint(new RouteEndpoint(_ => Task.CompletedTask, Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse("/x/{name}"), 0, metadata, "test"));
        if (name is not null)
        {
            context.Request.RouteValues["name"] = name;
        }

        if (caller is not null)
        {
            context.Items[typeof(Caller)] = caller;
        }

        try
        {
            await gate.InvokeAsync(context);
        }
        catch (DomainError problem)
        {
            return Berth.Daemon.Api.ProblemMapping.StatusOf(problem.Kind);
        }

        return passed ? 0 : context.Response.StatusCode;
    }

    private static EndpointPermission Declared(Func<RouteHandlerBuilder, RouteHandlerBuilder> declare)
    {
        var builder = WebApplication.CreateSlimBuilder().Build();
        declare(builder.MapGet("/x/{name}", (string name) => name));
        return ((IEndpointRouteBuilder)builder).DataSources.SelectMany(d => d.Endpoints).Single().Metadata.GetMetadata<EndpointPermission>()!;
    }

    [Fact]
    public async Task Undeclared_IsRefusedEvenForAdmins() => Assert.Equal(403, await RunAsync(null, Admin));

    [Fact]
    public async Task Open_NeedsNoCaller() => Assert.Equal(0, await RunAsync(Declared(b => b.Open()), null));

    [Fact]
    public async Task Reads_WithoutCaller_Is401() => Assert.Equal(401, await RunAsync(Declared(b => b.Reads()), null));

    [Fact]
    public async Task AdminChanges_RefusesMembers_AdmitsAdmins()
    {
        Assert.Equal(403, await RunAsync(Declared(b => b.AdminChanges()), Alice, method: "POST"));
        Assert.Equal(0, await RunAsync(Declared(b => b.AdminChanges()), Admin, method: "POST"));
    }

    [Fact]
    public async Task Changes_WithReadOnlyToken_IsRefused_ReadsAdmitted()
    {
        var readOnly = Alice with { ReadOnly = true, Token = "laptop" };
        Assert.Equal(403, await RunAsync(Declared(b => b.Changes()), readOnly, method: "POST"));
        Assert.Equal(0, await RunAsync(Declared(b => b.Reads()), readOnly));
    }

    [Fact]
    public async Task OwnObject_Admitted_OthersAnswer404LikeAMissingOne()
    {
        var permission = Declared(b => b.Changes(ObjectKind.Container));
        Assert.Equal(0, await RunAsync(permission, Alice, "alices", "POST"));
        Assert.Equal(404, await RunAsync(permission, Bob, "alices", "POST"));
        Assert.Equal(404, await RunAsync(permission, Bob, "roots", "POST"));
        Assert.Equal(404, await RunAsync(permission, Bob, "missing", "POST"));
    }

    [Fact]
    public async Task Admins_ReachEveryObject_AndMissingOnesGoOnToTheService()
    {
        var permission = Declared(b => b.Changes(ObjectKind.Container));
        Assert.Equal(0, await RunAsync(permission, Admin, "alices", "POST"));
        Assert.Equal(0, await RunAsync(permission, Admin, "missing", "POST"));
    }

    [Fact]
    public async Task KindWithoutLookup_FailsClosedForMembers() =>
        Assert.Equal(404, await RunAsync(Declared(b => b.Reads(ObjectKind.User)), Alice, "alice"));

    [Fact]
    public void Undeclared_ListsEndpointsThatDeclareNothing()
    {
        var app = WebApplication.CreateSlimBuilder().Build();
        app.MapGet("/declared", () => "ok").Reads();
        app.MapPost("/forgotten/{name}", (string name) => name);

        var undeclared = ApiRoutes.Undeclared(app);

        Assert.Equal(["POST /forgotten/{name}"], undeclared);
    }

    [Fact]
    public async Task ChangesOrCreates_NewNamePasses_OthersObjectIs404_OwnPasses()
    {
        var permission = Declared(b => b.ChangesOrCreates(ObjectKind.Container));
        Assert.Equal(0, await RunAsync(permission, Bob, "missing", "POST"));
        Assert.Equal(404, await RunAsync(permission, Bob, "alices", "POST"));
        Assert.Equal(404, await RunAsync(permission, Bob, "roots", "POST"));
        Assert.Equal(0, await RunAsync(permission, Alice, "alices", "POST"));
        Assert.Equal(403, await RunAsync(permission, Alice with { ReadOnly = true, Token = "viewer" }, "missing", "POST"));
        Assert.Equal("caller changes own container {name} or a new one", permission.ToString());
    }

    [Fact]
    public async Task ChangesOrCreates_KindWithoutLookup_StillFailsClosed() =>
        Assert.Equal(404, await RunAsync(Declared(b => b.ChangesOrCreates(ObjectKind.User)), Alice, "missing", "POST"));

    [Fact]
    public async Task MetricsToken_ReadsTheScrape_AndNothingElse()
    {
        var metrics = Admin with { Scope = TokenScope.Metrics, Token = "prometheus" };
        Assert.Equal(0, await RunAsync(Declared(b => b.AdminReads().AcceptsMetricsTokens()), metrics, scrape: true));
        Assert.Equal(0, await RunAsync(Declared(b => b.AdminReads().AcceptsMetricsTokens()), metrics, method: "HEAD", scrape: true));
        Assert.Equal(403, await RunAsync(Declared(b => b.AdminReads().AcceptsMetricsTokens()), metrics, method: "POST", scrape: true));
        Assert.Equal(403, await RunAsync(Declared(b => b.Reads()), metrics));
        Assert.Equal(403, await RunAsync(Declared(b => b.AdminReads()), metrics));
        Assert.Equal(403, await RunAsync(Declared(b => b.Changes()), metrics, method: "POST"));
        Assert.Equal(403, await RunAsync(Declared(b => b.Reads(ObjectKind.Container)), metrics, "roots"));
        Assert.Equal(403, await RunAsync(Declared(b => b.Open()), metrics));
    }

    [Fact]
    public async Task MetricsToken_Refusal_SaysTheTokenIsLimitedToMetrics()
    {
        var gate = new PermissionGate(_ => Task.CompletedTask, [Containers]);
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = "/api/v1/containers";
        context.Response.Body = new MemoryStream();
        context.SetEndpoint(new RouteEndpoint(_ => Task.CompletedTask, Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse("/api/v1/containers"), 0,
            new EndpointMetadataCollection(Declared(b => b.Reads())), "test"));
        context.Items[typeof(Caller)] = Admin with { Scope = TokenScope.Metrics, Token = "prometheus" };

        await gate.InvokeAsync(context);

        Assert.Equal(403, context.Response.StatusCode);
        Assert.Contains("limited to metrics", System.Text.Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MemberMetricsToken_StillMeetsTheAdminOnlyScrape() =>
        Assert.Equal(403, await RunAsync(Declared(b => b.AdminReads().AcceptsMetricsTokens()), Alice with { Scope = TokenScope.Metrics }, scrape: true));

    [Fact]
    public async Task FullToken_IsNotHeldToTheScrape() =>
        Assert.Equal(0, await RunAsync(Declared(b => b.Reads()), Admin with { Token = "laptop" }));

    [Fact]
    public void Declarations_DescribeThemselves() =>
        Assert.Equal("caller changes own container {name}", Declared(b => b.Changes(ObjectKind.Container)).ToString());
}
