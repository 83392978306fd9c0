using Berth.Daemon.Stacks;

namespace Berth.Tests.Daemon.Stacks;

public sealed class StackReaderTests
{
    private static StackParseResult Read(string yaml, IReadOnlyDictionary<string, string>? env = null, string? over = null, IReadOnlySet<string>? profiles = null) =>
        new StackReader(env, requireValues: true, profiles).Read(over is null ? [new StackSource("berth.yml", yaml)] : [new StackSource("berth.yml", yaml), new StackSource("berth.override.yml", over)]);

    [Fact]
    public void Read_IssueExample_OrdersByDependencies()
    {
        var result = Read("""
            name: shop
            networks:
              net: { subnet: 10.40.0.0/24, nat: true }
            bases:
              py:
                image: busybox
                files: { /srv/app/: ./app/ }
                run: ["adduser -D app"]
            containers:
              web:
                base: py
                depends_on: { db: { condition: healthy } }
                env: { DB_HOST: db }
                forwards: ["8080:8080/tcp"]
                limits: { memory: 256MiB, cpu: "0" }
                autostart: { order: 2, delay: 5s }
              db:
                base: py
                service: { command: "python3 /srv/app/db.py", user: app }
                healthcheck: { command: "true", interval: 2s, retries: 15 }
            """);
        Assert.Empty(result.Errors);
        var stack = result.Definition!;
        Assert.Equal(["db", "web"], stack.Containers.Select(c => c.Key));
        Assert.Equal("net", stack.Containers[1].Network);
        Assert.Equal("shop-net", stack.Networks[0].Bridge);
        Assert.Equal("5", stack.Containers[1].Config["boot.autostart.delay"]);
        Assert.Equal(["app"], stack.Inputs);
    }

    [Fact]
    public void Read_BadReferencesAndUnknownKeys_ReportsEveryErrorWithFileAndLine()
    {
        var result = Read("""
            name: shop
            containers:
              web:
                image: busybox
                depends_on: { dbx: {} }
                port: 80
              db:
                base: nothere
            """);
        Assert.Null(result.Definition);
        Assert.Contains("berth.yml:5: containers.web.depends_on.dbx: no container named dbx", result.Errors);
        Assert.Contains(result.Errors, e => e.StartsWith("berth.yml:6: containers.web.port: unknown key", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("berth.yml:8: containers.db.base: no base named nothere", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_Cycle_IsRefused()
    {
        var result = Read("""
            name: shop
            containers:
              a: { image: busybox, depends_on: [b] }
              b: { image: busybox, depends_on: [a] }
            """);
        Assert.Contains(result.Errors, e => e.Contains("dependency cycle among a, b", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_Variables_FromEnvironmentThenDefaults()
    {
        var yaml = """
            name: shop
            variables: { TAG: dev }
            containers:
              web: { image: busybox, env: { TAG: "${TAG}", MODE: "${MODE:-slow}", PRICE: "$$5" } }
            """;
        var dev = Read(yaml).Definition!.Containers[0].Env;
        Assert.Equal(("dev", "slow", "$5"), (dev["TAG"], dev["MODE"], dev["PRICE"]));
        var prod = Read(yaml, new Dictionary<string, string> { ["TAG"] = "prod", ["MODE"] = "" }).Definition!.Containers[0].Env;
        Assert.Equal(("prod", "slow"), (prod["TAG"], prod["MODE"]));
        Assert.Contains(Read("name: shop\ncontainers:\n  web: { image: \"${IMAGE}\" }\n").Errors, e => e.StartsWith("berth.yml:3: containers.web.image: variable IMAGE is not set", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_OverrideFile_MergesMappingsAndKeepsItsOwnLines()
    {
        var result = Read(
            "name: shop\ncontainers:\n  web: { image: busybox, env: { A: \"1\" } }\n",
            over: "containers:\n  web:\n    env: { B: \"2\" }\n    colour: red\n");
        Assert.Contains(result.Errors, e => e.StartsWith("berth.override.yml:4: containers.web.colour: unknown key", StringComparison.Ordinal));
        var merged = Read("name: shop\ncontainers:\n  web: { image: busybox, env: { A: \"1\" } }\n", over: "containers:\n  web:\n    env: { B: \"2\" }\n").Definition!;
        Assert.Equal(["A", "B"], merged.Containers[0].Env.Keys);
    }

    [Fact]
    public void Read_Profiles_LeaveOutInactiveContainers()
    {
        var yaml = "name: shop\ncontainers:\n  web: { image: busybox }\n  debug: { image: busybox, profiles: [dev] }\n";
        Assert.Equal(["web"], Read(yaml).Definition!.Containers.Select(c => c.Key));
        Assert.Equal(["web", "debug"], Read(yaml, profiles: new HashSet<string> { "dev" }).Definition!.Containers.Select(c => c.Key));
    }

    [Fact]
    public void Read_InputOutsideTheFolder_IsRefused()
    {
        var result = Read("name: shop\nbases:\n  b: { image: busybox, files: { /etc/x: ../secret } }\ncontainers:\n  web: { base: b }\n");
        Assert.Contains(result.Errors, e => e.StartsWith("berth.yml:3: bases.b.files./etc/x:", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_NotYaml_SaysWhere()
    {
        var result = Read("name: shop\ncontainers:\n  web: { image: busybox\n");
        Assert.Single(result.Errors);
        Assert.StartsWith("berth.yml:", result.Errors[0], StringComparison.Ordinal);
    }
}
