using Berth.Daemon.Stacks;

namespace Berth.Tests.Daemon.Stacks;

/// <summary>A container's healthcheck: and restart: become its health and restart keys; a changed check is a config change.</summary>
public sealed class StackHealthKeysTests
{
    private static StackParseResult Read(string yaml) => new StackReader().Read([new StackSource("berth.yml", yaml)]);

    private static StackDefinition Db(string retries, string restart = "on-failure") => Read($$"""
        name: shop
        containers:
          db:
            image: busybox
            restart: {{restart}}
            service: "httpd -f -p 80"
            healthcheck: { command: "wget -q -O /dev/null http://127.0.0.1/", interval: 2s, timeout: 1500ms, retries: {{retries}} }
          web: { image: busybox, depends_on: { db: { condition: healthy } } }
        """).Definition!;

    [Fact]
    public void Healthcheck_And_Restart_BecomeTheContainersKeys()
    {
        var config = Db("15").Containers.Single(c => c.Key == "db").Config;
        Assert.Equal("wget -q -O /dev/null http://127.0.0.1/", config["health.command"]);
        Assert.Equal("2s", config["health.interval"]);
        Assert.Equal("1500ms", config["health.timeout"]);
        Assert.Equal("15", config["health.retries"]);
        Assert.Equal("on-failure", config["restart.policy"]);
        Assert.False(Db("15").Containers.Single(c => c.Key == "web").Config.ContainsKey("health.command"));
    }

    [Fact]
    public void Healthcheck_FasterThanTheMonitorChecks_IsKeptAtItsFloor()
    {
        var config = Read("""
            name: shop
            containers:
              db: { image: busybox, healthcheck: { command: "true", interval: 200ms, timeout: 50ms } }
            """).Definition!.Containers[0].Config;
        Assert.Equal("1s", config["health.interval"]);
        Assert.Equal("100ms", config["health.timeout"]);
        Assert.Equal("10", config["health.retries"]);
    }

    [Theory]
    [InlineData("sometimes")]
    [InlineData("unless-stopped")]
    [InlineData("\"\"")]
    public void Restart_OtherThanNoOnFailureAlways_IsRefusedWithItsLine(string value)
    {
        var result = Read($"name: shop\ncontainers:\n  db:\n    image: busybox\n    restart: {value}\n");
        Assert.Null(result.Definition);
        Assert.Contains(result.Errors, e => e.StartsWith("berth.yml:5: containers.db.restart:", StringComparison.Ordinal));
    }

    [Fact]
    public void ChangedHealthcheck_ChangesInPlace_WithoutRestartingItOrItsDependents()
    {
        var before = Db("15");
        var plan = StackPlanner.Plan(Db("30"), new StackState { Definition = before, Bases = new Dictionary<string, StackBaseState>() }, new Dictionary<string, string>(), _ => true, _ => true);
        Assert.Equal("change", plan.Of(StackPlan.Container, "db").Action);
        Assert.Equal("unchanged", plan.Of(StackPlan.Container, "web").Action);
    }

    [Fact]
    public void ChangedRestartPolicy_ChangesInPlace()
    {
        var plan = StackPlanner.Plan(Db("15", "always"), new StackState { Definition = Db("15"), Bases = new Dictionary<string, StackBaseState>() }, new Dictionary<string, string>(), _ => true, _ => true);
        Assert.Equal("change", plan.Of(StackPlan.Container, "db").Action);
    }
}
