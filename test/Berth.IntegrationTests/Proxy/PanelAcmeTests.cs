using System.Globalization;
using System.Net;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Proxy;

/// <summary>The panel's route with --tls auto: its certificate from a real pebble through HTTP-01, as a container route's.</summary>
public sealed class PanelAcmeTests(PanelAcmeTests.Environment env) : IClassFixture<PanelAcmeTests.Environment>
{
    [Fact]
    public async Task PanelRoute_TlsAuto_ObtainsACertificate_AndServesThePanelOverHttps()
    {
        var domain = $"panel.{env.Prefix}.test";
        var root = await env.Pebble.RootAsync();

        var cli = await CliRunner.RunAsync(env.StateDir, "route", "add", "--panel", domain, "--tls", "auto", "--redirect-https");

        Assert.True(cli.ExitCode == 0, cli.Stderr + cli.Stdout + "\n--- berthd ---\n" + env.Daemon.Log + "\n--- pebble ---\n" + env.Pebble.Log);
        Assert.Contains($"HTTPS for {domain} with certificate acme-{domain}", cli.Stdout, StringComparison.Ordinal);
        Assert.Equal($"acme-{domain}", Assert.Single(await env.Client.ListRoutesAsync(), r => r.Domain == domain).Certificate);
        var (status, body, _) = await env.GetHttpsAsync(domain, root);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<title>Berth", body, StringComparison.Ordinal);

        await env.SucceedAsync(env.Client.RemoveRouteAsync(domain));
        Assert.Empty(await env.Client.ListRoutesAsync());
    }

    /// <summary>An ACME environment whose berthd also has its loopback HTTP listener, where the panel's route goes.</summary>
    public sealed class Environment : AcmeBerthEnvironment
    {
        public int PanelPort { get; } = FreePort();

        protected override string[] DaemonArguments => [.. base.DaemonArguments, "--http", $"127.0.0.1:{PanelPort.ToString(CultureInfo.InvariantCulture)}"];
    }
}
