using Berth.Cli;
using Berth.Contracts;
using Berth.Tests.Client;

namespace Berth.Tests.Cli;

public sealed class BerthCommandLineTests
{
    [Fact]
    public async Task InvokeAsync_NoDaemonAtStateDir_PrintsOneErrorLineAndExitsOne()
    {
        var directory = Directory.CreateTempSubdirectory("berth-test-");
        try
        {
            var (exitCode, output, error) = await RunAsync("--state-dir", directory.FullName, "list");

            Assert.Equal(1, exitCode);
            Assert.Equal("", output);
            Assert.Equal(
                $"berth: error: cannot reach berthd at {directory.FullName}/unix.socket: is the daemon running? (start it with: berthd --state-dir {directory.FullName})\n",
                error);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task InvokeAsync_ApiError_PrintsProblemDetailAndExitsOne()
    {
        await using var daemon = CannedBerthd.Start(CannedResponse.Problem(404, "Container not found", "there is no container 'web'"));

        var (exitCode, output, error) = await RunAsync("info", "web", "--state-dir", daemon.StateDirectory);

        Assert.Equal(1, exitCode);
        Assert.Equal("", output);
        Assert.Equal("berth: error: there is no container 'web' ('berth list' shows the containers there are)\n", error);
    }

    [Fact]
    public async Task InvokeAsync_Launch_ShowsProgressOnStderrAndPrintsLaunched()
    {
        await using var daemon = CannedBerthd.Start(
            CannedResponse.Job("j1", JobStatus.Queued, httpStatus: 202),
            CannedResponse.Job("j1", JobStatus.Running, progress: "building debian/12: debootstrap"),
            CannedResponse.Job("j1", JobStatus.Succeeded, progress: "building debian/12: debootstrap"));

        var (exitCode, output, error) = await RunAsync("--state-dir", daemon.StateDirectory, "launch", "debian/12", "web", "-c", "limits.memory=256MiB");

        Assert.Equal(0, exitCode);
        Assert.Equal("Launched web\n", output);
        Assert.Equal("building debian/12: debootstrap\n", error);
        Assert.Equal("POST /api/v1/containers", daemon.Requests[0]);
        Assert.Contains("\"limits.memory\":\"256MiB\"", daemon.Bodies[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_FailedJob_PrintsJobErrorAsOneLineAndExitsOne()
    {
        await using var daemon = CannedBerthd.Start(
            CannedResponse.Job("j1", JobStatus.Queued, httpStatus: 202),
            CannedResponse.Job("j1", JobStatus.Failed, error: "lxc-start failed:\nno cgroup"));

        var (exitCode, output, error) = await RunAsync("--state-dir", daemon.StateDirectory, "start", "web");

        Assert.Equal(1, exitCode);
        Assert.Equal("", output);
        Assert.Equal("berth: error: lxc-start failed: no cgroup\n", error);
    }

    [Fact]
    public async Task InvokeAsync_BadConfigArgument_ExitsOneWithoutCallingTheDaemon()
    {
        await using var daemon = CannedBerthd.Start();

        var (exitCode, _, error) = await RunAsync("--state-dir", daemon.StateDirectory, "config", "set", "web", "limits.memory");

        Assert.Equal(1, exitCode);
        Assert.Equal("berth: error: invalid config 'limits.memory': expected KEY=VALUE\n", error);
        Assert.Empty(daemon.Requests);
    }

    [Fact]
    public async Task InvokeAsync_List_PrintsTableWithMemoryAndUnmanagedMarked()
    {
        ContainerInfo[] containers =
        [
            new() { Name = "web", Status = ContainerStatus.Running, Image = "debian/12", Addresses = ["10.0.3.5", "fd42::5"], MemoryBytes = 5_872_025 },
            new() { Name = "legacy", Status = ContainerStatus.Stopped, Managed = false },
        ];
        await using var daemon = CannedBerthd.Start(CannedResponse.Json(200, containers));

        var (exitCode, output, _) = await RunAsync("--state-dir", daemon.StateDirectory, "list");

        Assert.Equal(0, exitCode);
        Assert.Equal(
            "NAME    STATUS               ADDRESSES          IMAGE      MEMORY\n" +
            "legacy  stopped (unmanaged)                     -          -\n" +
            "web     running              10.0.3.5, fd42::5  debian/12  5.6 MiB\n",
            output);
    }

    [Fact]
    public async Task InvokeAsync_UnknownCommand_ExitsTwo()
    {
        var (exitCode, _, error) = await RunAsync("teleport", "web");

        Assert.Equal(2, exitCode);
        Assert.Contains("teleport", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "exec", "web", "--", "ls", "-la" }, new[] { "ls", "-la" })]
    [InlineData(new[] { "exec", "web", "-t", "--env", "A=1", "--", "sh", "-c", "echo $A --env" }, new[] { "sh", "-c", "echo $A --env" })]
    [InlineData(new[] { "exec", "web", "--", "sh", "--state-dir", "x" }, new[] { "sh", "--state-dir", "x" })]
    [InlineData(new[] { "exec", "web", "uptime" }, new[] { "uptime" })]
    public void Parse_Exec_EverythingAfterDoubleDashIsTheCommand(string[] args, string[] expected)
    {
        var result = BerthCommandLine.Create().Parse(args);

        Assert.Empty(result.Errors);
        Assert.Equal(expected, result.GetValue<string[]>("command"));
    }

    [Fact]
    public void Parse_ExecOptionsAfterName_AreOptionsNotCommand()
    {
        var result = BerthCommandLine.Create().Parse(["exec", "web", "--env", "A=1", "--cwd", "/srv", "--", "ls"]);

        Assert.Empty(result.Errors);
        Assert.Equal(["A=1"], result.GetRequiredValue<string[]>("--env"));
        Assert.Equal("/srv", result.GetValue<string>("--cwd"));
        Assert.Equal(["ls"], result.GetRequiredValue<string[]>("command"));
    }

    [Fact]
    public async Task InvokeAsync_ImportKeepIdentity_AsksTheDaemonToKeepIt()
    {
        await using var daemon = CannedBerthd.Start(
            CannedResponse.Job("j1", JobStatus.Queued, httpStatus: 202),
            CannedResponse.Job("j1", JobStatus.Succeeded));

        var (exitCode, _, _) = await RunAsync("--state-dir", daemon.StateDirectory, "import", "/tmp/app.tar.zst", "app", "--keep-identity");

        Assert.Equal(0, exitCode);
        Assert.Equal("POST /api/v1/containers/import", daemon.Requests[0]);
        Assert.Contains("\"keepIdentity\":true", daemon.Bodies[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_ImportWithoutName_LeavesTheNameToTheArchive()
    {
        await using var daemon = CannedBerthd.Start(
            CannedResponse.Job("j1", JobStatus.Queued, httpStatus: 202),
            CannedResponse.Job("j1", JobStatus.Succeeded));

        var (exitCode, output, error) = await RunAsync("import", "/tmp/web.tar.zst", "--state-dir", daemon.StateDirectory);

        Assert.True(exitCode == 0, error);
        Assert.Equal("POST /api/v1/containers/import", daemon.Requests[0]);
        var body = System.Text.Json.JsonDocument.Parse(daemon.Bodies[0]).RootElement;
        Assert.Equal("/tmp/web.tar.zst", body.GetProperty("file").GetString());
        Assert.True(!body.TryGetProperty("name", out var name) || name.ValueKind == System.Text.Json.JsonValueKind.Null);
        Assert.StartsWith("Imported ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_StorageShow_PrintsFieldsLikeNetworkShow_JsonOnRequest()
    {
        var pool = new StoragePoolInfo { Name = "fast", Driver = "btrfs", Path = "/var/lib/berth/storage/fast", SizeBytes = 2L << 30, CopyOnWrite = true, Containers = 3, CreatedAt = DateTimeOffset.UtcNow };
        await using var daemon = CannedBerthd.Start(CannedResponse.Json(200, pool), CannedResponse.Json(200, pool));

        var (exitCode, output, _) = await RunAsync("storage", "show", "fast", "--state-dir", daemon.StateDirectory);
        Assert.Equal(0, exitCode);
        Assert.Contains("Driver:", output, StringComparison.Ordinal);
        Assert.Contains("btrfs", output, StringComparison.Ordinal);
        Assert.Contains("2 GiB", output, StringComparison.Ordinal);
        Assert.DoesNotContain("{", output, StringComparison.Ordinal);

        var (jsonExit, json, _) = await RunAsync("storage", "show", "fast", "--format", "json", "--state-dir", daemon.StateDirectory);
        Assert.Equal(0, jsonExit);
        Assert.Equal("btrfs", System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("driver").GetString());
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = await BerthCommandLine.InvokeAsync(args, output, error, CancellationToken.None);
        return (exitCode, output.ToString().ReplaceLineEndings("\n"), error.ToString().ReplaceLineEndings("\n"));
    }
}
