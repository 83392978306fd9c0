using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Stacks;

/// <summary>examples/microservices through the CLI: a front and five services up and healthy, the front's answer assembled from all five through its forward.</summary>
public sealed class MicroservicesExampleTests(NetworkBerthEnvironment env) : IClassFixture<NetworkBerthEnvironment>
{
    private static readonly string[] Services = ["users", "catalog", "cart", "prices", "stock"];

    [Fact]
    public async Task Example_Up_FrontAnswersFromAllFiveServices_ThenDown()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var stack = env.Name("micro");
        var variables = new Dictionary<string, string>
        {
            ["STACK"] = stack,
            ["SUBNET"] = env.NextSubnet(),
            ["BRIDGE"] = env.NetworkName("mi"),
            ["FRONT_PORT"] = port.ToString(CultureInfo.InvariantCulture),
        };
        var file = Path.Combine(TestHost.RepositoryRoot, "examples/microservices/berth.yml");

        var up = await CliRunner.RunWithEnvironmentAsync(env.StateDir, null, variables, "up", "-f", file);
        Assert.True(up.ExitCode == 0, up + "\n--- berthd ---\n" + env.Daemon.Log);
        Assert.Contains("create", up.Stdout, StringComparison.Ordinal);

        var ps = await CliRunner.RunWithEnvironmentAsync(env.StateDir, null, variables, "ps", "-f", file);
        Assert.True(ps.ExitCode == 0, ps.ToString());
        foreach (var service in Services.Append("web"))
        {
            Assert.Contains($"{stack}-{service}", ps.Stdout, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("unhealthy", ps.Stdout, StringComparison.Ordinal);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        var page = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/cgi-bin/shop"));
        Assert.Contains("shop front (front)", page, StringComparison.Ordinal);
        var direct = await env.ExecAsync($"{stack}-web", "sh", "-c", "cat /etc/hosts; wget -q -O - http://users/cgi-bin/info; echo; env");
        foreach (var service in Services)
        {
            Assert.True(page.Contains($"{service}: ok from {stack}-{service}", StringComparison.Ordinal), page + direct);
        }

        var again = await CliRunner.RunWithEnvironmentAsync(env.StateDir, null, variables, "up", "-f", file);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains($"Stack {stack} is up to date", again.Stdout, StringComparison.Ordinal);

        var down = await CliRunner.RunWithEnvironmentAsync(env.StateDir, null, variables, "down", "-f", file);
        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.DoesNotContain((await env.Client.ListContainersAsync()).Select(c => c.Name), n => n.StartsWith(stack, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cli_BadFile_PrintsEachErrorOnItsOwnLine_ExitsNonZero_CreatesNothing()
    {
        var folder = Directory.CreateTempSubdirectory("berth-stack-");
        try
        {
            var stack = env.Name("clibad");
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "berth.yml"), $"name: {stack}\ncontainers:\n  web:\n    image: busybox\n    depends_on: [dbx]\n    colour: red\n");
            var result = await CliRunner.RunAsync(env.StateDir, "up", "-f", Path.Combine(folder.FullName, "berth.yml"));
            Assert.Equal(1, result.ExitCode);
            var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Contains("berth: error: berth.yml:5: containers.web.depends_on.dbx: no container named dbx", lines);
            Assert.Contains(lines, l => l.StartsWith("berth: error: berth.yml:6: containers.web.colour: unknown key", StringComparison.Ordinal));
            Assert.DoesNotContain((await env.Client.ListContainersAsync()).Select(c => c.Name), n => n.StartsWith(stack, StringComparison.Ordinal));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
