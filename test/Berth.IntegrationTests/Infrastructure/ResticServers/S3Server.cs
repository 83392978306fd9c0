namespace Berth.IntegrationTests.Infrastructure.ResticServers;

/// <summary>
/// An S3-compatible server on 127.0.0.1: s3rver 3.7.1 from npm (test/fixtures/s3rver, installed there by
/// <c>npm ci</c>, which scripts/test runs) with the bucket "restic" and its fixed credentials S3RVER/S3RVER.
/// Repository <c>s3:https://127.0.0.1:PORT/restic</c>. It serves HTTPS with a self-signed certificate that restic
/// trusts through <c>--cacert</c> (<see cref="Options"/>): over plain HTTP restic 0.14 uploads with the aws-chunked
/// streaming signature, which s3rver stores verbatim (chunk headers inside the object), so every read fails.
/// </summary>
public sealed class S3Server() : ResticServer("s3")
{
    public const string Bucket = "restic";

    public const string AccessKey = "S3RVER";

    public const string SecretKey = "S3RVER";

    public static string Script => Path.Combine(TestHost.RepositoryRoot, "test/fixtures/s3rver/node_modules/s3rver/bin/s3rver.js");

    /// <summary>The certificate the server presents, which restic must trust.</summary>
    public string Certificate => Path.Combine(Dir, "cert.pem");

    public override string Repository => $"s3:https://127.0.0.1:{PortText(Port)}/{Bucket}";

    public override IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>
    {
        ["AWS_ACCESS_KEY_ID"] = AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
    };

    public override IReadOnlyList<string> Options => ["--cacert", Certificate];

    protected override async Task<(string Program, IReadOnlyList<string> Args, IReadOnlyDictionary<string, string> Environment)> PrepareAsync()
    {
        if (!File.Exists(Script))
        {
            throw new InvalidOperationException($"s3rver is not installed: run `npm ci --no-audit --no-fund` in {Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(Script))))} (scripts/test does)");
        }

        var data = Path.Combine(Dir, "data");
        Directory.CreateDirectory(data);
        var key = Path.Combine(Dir, "key.pem");
        await Host.RunCheckedAsync("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", key, "-out", Certificate, "-days", "7", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1").ConfigureAwait(false);
        return ("node", [Script, "-d", data, "-a", "127.0.0.1", "-p", PortText(Port), "--key", key, "--cert", Certificate, "--configure-bucket", Bucket],
            new Dictionary<string, string>());
    }
}
