using System.Text.Json;
using Berth.Daemon.Store;
using Dapper;

namespace Berth.Daemon.Proxy;

/// <summary>Reads and writes the proxy's certificate rows (the PEM files are written by <see cref="CertificateService"/>).</summary>
public sealed class CertificateStore(Database database)
{
    public async Task<IReadOnlyList<ProxyCertificate>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            "SELECT name, domains, not_before AS NotBefore, not_after AS NotAfter, fingerprint, created_at AS CreatedAt, origin FROM proxy_certificates ORDER BY name",
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToCertificate())];
    }

    public async Task<bool> TryInsertAsync(ProxyCertificate certificate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO proxy_certificates (name, domains, not_before, not_after, fingerprint, created_at, origin)
            VALUES (@Name, @Domains, @NotBefore, @NotAfter, @Fingerprint, @CreatedAt, @Origin)
            ON CONFLICT DO NOTHING
            """,
            new
            {
                certificate.Name,
                Domains = JsonSerializer.Serialize(certificate.Domains),
                NotBefore = certificate.NotBefore.ToString("O"),
                NotAfter = certificate.NotAfter.ToString("O"),
                certificate.Fingerprint,
                CreatedAt = certificate.CreatedAt.ToString("O"),
                certificate.Origin,
            },
            cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
    }

    /// <summary>Writes a certificate's row in one statement (a renewal: new validity and fingerprint, same name), so no reader sees it missing.</summary>
    public async Task UpsertAsync(ProxyCertificate certificate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO proxy_certificates (name, domains, not_before, not_after, fingerprint, created_at, origin)
            VALUES (@Name, @Domains, @NotBefore, @NotAfter, @Fingerprint, @CreatedAt, @Origin)
            ON CONFLICT (name) DO UPDATE SET domains = excluded.domains, not_before = excluded.not_before, not_after = excluded.not_after,
                fingerprint = excluded.fingerprint, origin = excluded.origin
            """,
            new
            {
                certificate.Name,
                Domains = JsonSerializer.Serialize(certificate.Domains),
                NotBefore = certificate.NotBefore.ToString("O"),
                NotAfter = certificate.NotAfter.ToString("O"),
                certificate.Fingerprint,
                CreatedAt = certificate.CreatedAt.ToString("O"),
                certificate.Origin,
            },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM proxy_certificates WHERE name = @name", new { name }, cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
    }

    private sealed record Row
    {
        public string Name { get; init; } = "";
        public string Domains { get; init; } = "[]";
        public string NotBefore { get; init; } = "";
        public string NotAfter { get; init; } = "";
        public string Fingerprint { get; init; } = "";
        public string CreatedAt { get; init; } = "";
        public string Origin { get; init; } = CertificateOrigins.File;

        public ProxyCertificate ToCertificate() => new()
        {
            Origin = Origin,
            Name = Name,
            Domains = JsonSerializer.Deserialize<string[]>(Domains) ?? [],
            NotBefore = DateTimeOffset.Parse(NotBefore, System.Globalization.CultureInfo.InvariantCulture),
            NotAfter = DateTimeOffset.Parse(NotAfter, System.Globalization.CultureInfo.InvariantCulture),
            Fingerprint = Fingerprint,
            CreatedAt = DateTimeOffset.Parse(CreatedAt, System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
