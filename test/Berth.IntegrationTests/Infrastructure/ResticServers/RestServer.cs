namespace Berth.IntegrationTests.Infrastructure.ResticServers;

/// <summary>
/// restic's REST protocol served by <c>rclone serve restic</c> from <c>DIR/data</c>: repository
/// <c>rest:http://[USER:PASSWORD@]127.0.0.1:PORT/repo</c>. With a user, rclone asks for HTTP basic authentication
/// (--user/--pass; restic 0.14 takes the credentials only inside the URL). rclone reads no configuration of the host's.
/// </summary>
public sealed class RestServer(string? user = null, string? password = null) : ResticServer("rest")
{
    public string? User { get; } = user;

    public string? Password { get; } = password;

    public override string Repository => RepositoryAs(User, Password);

    /// <summary>The same repository with other credentials, to show that the server refuses them.</summary>
    public string RepositoryAs(string? user, string? password) =>
        $"rest:http://{(user is null ? "" : $"{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password ?? "")}@")}127.0.0.1:{PortText(Port)}/repo";

    protected override Task<(string Program, IReadOnlyList<string> Args, IReadOnlyDictionary<string, string> Environment)> PrepareAsync()
    {
        var data = Path.Combine(Dir, "data");
        Directory.CreateDirectory(data);
        List<string> args = ["serve", "restic", "--addr", $"127.0.0.1:{PortText(Port)}"];
        if (User is not null)
        {
            args.AddRange(["--user", User, "--pass", Password ?? ""]);
        }

        args.Add(data);
        var environment = new Dictionary<string, string>
        {
            ["RCLONE_CONFIG"] = Path.Combine(Dir, "rclone.conf"),
            ["RCLONE_CACHE_DIR"] = Path.Combine(Dir, "rclone-cache"),
        };
        return Task.FromResult<(string, IReadOnlyList<string>, IReadOnlyDictionary<string, string>)>(("rclone", args, environment));
    }
}
