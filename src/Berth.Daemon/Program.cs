using Berth.Contracts;
using Berth.Daemon.Access;
using Berth.Daemon.Api;
using Berth.Daemon.Audit;
using Berth.Daemon.Backups;
using Berth.Daemon.Boot;
using Berth.Daemon.Consoles;
using Berth.Daemon.Containers;
using Berth.Daemon.Events;
using Berth.Daemon.Exec;
using Berth.Daemon.Files;
using Berth.Daemon.Hosting;
using Berth.Daemon.Images;
using Berth.Daemon.Metrics;
using Berth.Daemon.Jobs;
using Berth.Daemon.Networking;
using Berth.Daemon.Panel;
using Berth.Daemon.Proxy;
using Berth.Daemon.Reconcile;
using Berth.Daemon.Runtime;
using Berth.Daemon.Storage;
using Berth.Daemon.Store;
using Berth.Daemon.Updates;
using Berth.Daemon.Users;
using Microsoft.Extensions.Options;

if (DaemonUsage.WantsHelp(args))
{
    Console.Out.Write(DaemonUsage.Text);
    return 0;
}

if (DaemonUsage.FirstUnknown(args) is { } unknown)
{
    Console.Error.WriteLine($"berthd: unknown option '{unknown}'; see berthd --help");
    return 2;
}

// A switch without a value, which the configuration's command line would pair with the next argument.
var printFingerprint = args.Contains(DaemonUsage.PrintFingerprint);
args = [.. args.Where(a => a != DaemonUsage.PrintFingerprint)];

var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddInMemoryCollection(DaemonCommandLine.FromEnvironment());
builder.Configuration.AddCommandLine(args, DaemonCommandLine.Switches);
builder.Services.Configure<BerthOptions>(builder.Configuration.GetSection("Berth"));
var options = builder.Configuration.GetSection("Berth").Get<BerthOptions>() ?? new BerthOptions();
System.Net.IPEndPoint? httpEndpoint;
System.Net.IPEndPoint? httpsEndpoint;
try
{
    httpEndpoint = options.Http is { } http ? DaemonCommandLine.ParseLoopback(http) : null;
    httpsEndpoint = options.Https is { Length: > 0 } https ? DaemonCommandLine.ParseHttps(https) : null;
    DaemonCommandLine.ValidateTls(options);
    DaemonCommandLine.ValidateNetworking(options);
    (builder.Configuration.GetSection("Berth:Proxy").Get<ProxyOptions>() ?? new ProxyOptions()).Validate();
    (builder.Configuration.GetSection("Berth:Audit").Get<AuditOptions>() ?? new AuditOptions()).Validate();
    (builder.Configuration.GetSection("Berth:Console").Get<ConsoleOptions>() ?? new ConsoleOptions()).Validate();
    (builder.Configuration.GetSection("Berth:Metrics").Get<Berth.Daemon.Metrics.MetricsOptions>() ?? new Berth.Daemon.Metrics.MetricsOptions()).Validate();
    (builder.Configuration.GetSection("Berth:Backups").Get<Berth.Daemon.Backups.BackupOptions>() ?? new Berth.Daemon.Backups.BackupOptions()).Validate();
    (builder.Configuration.GetSection("Berth:Updates").Get<UpdateOptions>() ?? new UpdateOptions()).Validate();
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"berthd: {e.Message}");
    return 2;
}

var paths = new StatePaths(options);
if (printFingerprint)
{
    return ServerCertificate.PrintFingerprint(options, paths, httpsEndpoint);
}

paths.Ensure();
using var instanceLock = DaemonCommandLine.LockStateDir(paths);
if (HostClaim.TryTake($"nft-{options.NftTable}", paths, out var tableHolder) is not { } tableClaim)
{
    Console.Error.WriteLine($"berthd: nft table '{options.NftTable}' is in use by {tableHolder}; pass --nft-table NAME");
    return 2;
}

using var heldTable = tableClaim;
HostClaim? bridgeClaim = null;
if (options.DefaultNetworkIfAny is { } defaultBridge && (bridgeClaim = HostClaim.TryTake($"bridge-{defaultBridge}", paths, out var bridgeHolder)) is null)
{
    Console.Error.WriteLine($"berthd: bridge '{defaultBridge}' is in use by {bridgeHolder}; pass --default-network-name NAME");
    return 2;
}

using var heldBridge = bridgeClaim;

// Bound here, before any other thread runs, because the umask it needs is process-wide.
var socketHandle = ApiSocket.Bind(paths.Socket);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.ListenHandle(socketHandle, listen => listen.UseRejectedRequestBodies().Use(next => connection =>
    {
        // Marks connections that came through the root-only socket; AccessControl trusts only these without credentials.
        connection.Items[AccessControl.UnixSocketMarker] = true;
        return next(connection);
    }));
});
builder.Services.AddBerthNetworkListeners(options, paths, httpEndpoint, httpsEndpoint);
builder.Logging.AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.TimestampFormat = "HH:mm:ss ";
});

var services = builder.Services;

// A body or parameter that cannot be read throws, so the problem says what was wrong (not an empty 400).
services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
services.ConfigureHttpJsonOptions(o => BerthJson.Configure(o.SerializerOptions));
services.AddProblemDetails();
services.AddExceptionHandler<ProblemMapping>();
services.AddOpenApi();
services.AddSingleton(TimeProvider.System);
services.AddSingleton(paths);
services.AddSingleton<HostCgroups>();
services.AddSingleton<AdminToken>();
services.AddSingleton<PanelSessions>();
services.AddSingleton<LoginThrottle>();
services.AddSingleton<LoginDevices>();
services.AddSingleton(HostIdMap.Read());
services.AddSingleton<Database>();
services.AddSingleton<ContainerStore>();
services.AddSingleton<JobStore>();
services.AddSingleton<EventBroker>();
services.AddSingleton<LxcRuntime>();
services.AddSingleton<LxcConfigRenderer>();
services.AddSingleton<DebianImageBuilder>();
services.AddSingleton<ImageStore>();
services.AddSingleton<ImageRegistry>();
services.AddSingleton<NetworkStore>();
services.AddSingleton<ForwardStore>();
services.AddSingleton<Firewall>();
services.AddSingleton<NetworkService>();
services.AddSingleton<ForwardService>();
services.AddSingleton<AuthorizedKeys>();
services.AddSingleton<NameServer>();
services.AddSingleton<IContainerStartHook, NetworkStartHook>();
services.AddSingleton<ContainerService>();
services.AddSingleton<ContainerCopyService>();
services.AddSingleton<ImageService>();
services.AddSingleton<ContainerIdentity>();
services.AddBerthStorage(builder.Configuration);
services.AddBerthFiles();
services.AddBerthProxy(builder.Configuration);
services.AddBerthUsers();
Berth.Daemon.Stacks.StackEndpoints.AddBerthStacks(services);
services.AddBerthAudit(builder.Configuration);
services.AddBerthBackups(builder.Configuration);
services.AddBerthMetrics(builder.Configuration);
Berth.Daemon.Health.HealthServices.AddBerthHealth(services);
Berth.Daemon.HostNetwork.HostNetworkEndpoints.AddBerthHostNetwork(services);
services.AddBerthUpdates(builder.Configuration);
services.AddSingleton<ExecSessions>();
services.AddBerthConsole(builder.Configuration);
services.AddSingleton<IJobHandler, ContainerJobs>();
services.AddSingleton<IJobHandler, ContainerCopyJobs>();
services.AddSingleton<IJobHandler, ContainerRenameJobs>();
services.AddSingleton<IJobHandler, ContainerNetworkJobs>();
services.AddSingleton<IJobHandler, ImageJobs>();
services.AddSingleton<IJobHandler, ImageTransferJobs>();
services.AddSingleton<IJobHandler, HostJobs>();
services.AddSingleton<IJobHandler, NetworkJobs>();
services.AddSingleton<IJobHandler, ForwardJobs>();
services.AddSingleton<IJobHandler, SshKeyJobs>();
services.AddSingleton<JobQueue>();
services.AddSingleton<Owners>();
services.AddSingleton<EventVisibility>();
services.AddSingleton<IOwnerLookup, ContainerOwners>();
services.AddSingleton<NetworkOwners>();
services.AddSingleton<IOwnerLookup>(s => s.GetRequiredService<NetworkOwners>());
services.AddSingleton<IOwnerLookup, JobOwners>();
services.AddSingleton<IOwnerLookup, ImageOwners>();
services.AddHostedService<DaemonStartup>();
services.AddHostedService<Reconciler>();
services.AddHostedService<NetworkReconciler>();
services.AddHostedService<JobPruner>();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages(async context =>
{
    var response = context.HttpContext.Response;
    if (!response.HasStarted && response.ContentLength is null && string.IsNullOrEmpty(response.ContentType))
    {
        var request = context.HttpContext.Request;
        var (title, detail) = response.StatusCode switch
        {
            StatusCodes.Status404NotFound => ("Not found", $"there is no {request.Method} {request.Path} in Berth's API; see /openapi/v1.json."),
            StatusCodes.Status405MethodNotAllowed => ("Method not allowed", $"{request.Path} does not take {request.Method}; see /openapi/v1.json."),
            StatusCodes.Status415UnsupportedMediaType => ("Unsupported media type", "send the body as JSON with Content-Type: application/json."),
            _ => (Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(response.StatusCode), $"{request.Method} {request.Path} failed; see /openapi/v1.json for what it takes."),
        };
        await ProblemMapping.WriteAsync(context.HttpContext, response.StatusCode, title, detail).ConfigureAwait(false);
    }
});
app.UseWebSockets(); // before access control, so a websocket upgrade is known as one when it is checked
app.UseMiddleware<ProxiedRequests>(); // before audit and access control, so both see the client behind the panel's route
app.UseBerthAudit();
app.UseMiddleware<AccessControl>();
app.UseMiddleware<PermissionGate>();
ApiRoutes.Map(app);
if (ApiRoutes.Undeclared(app) is { Count: > 0 } undeclared)
{
    // Fail closed: an endpoint that does not say who may call it is not served at all.
    Console.Error.WriteLine($"berthd: endpoints without a declared permission: {string.Join("; ", undeclared)}");
    return 70;
}

app.Lifetime.ApplicationStopped.Register(() => File.Delete(paths.Socket));
_ = app.Services.GetRequiredService<AdminToken>(); // created at start, so setup can print it
app.Run();
return 0;
