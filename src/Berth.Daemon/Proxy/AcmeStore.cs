using System.Text.Json;
using Berth.Daemon.Store;
using Dapper;

namespace Berth.Daemon.Proxy;

/// <summary>Reads and writes the ACME requests (acme_certificates); the issued certificates are rows of <see cref="CertificateStore"/>.</summary>
public sealed class AcmeStore(Database database)
{
    public async Task<IReadOnlyList<AcmeRequest>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            "SELECT name, domains, challenge, for_route AS ForRoute, failures, next_attempt AS NextAttempt, last_error AS LastError, created_at AS CreatedAt FROM acme_certificates ORDER BY name",
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToRequest())];
    }

    public async Task<AcmeRequest?> GetAsync(string name, CancellationToken cancellationToken = default) =>
        (await ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(r => r.Name == name);

    public async Task<bool> TryInsertAsync(AcmeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO acme_certificates (name, domains, challenge, for_route, failures, created_at)
            VALUES (@Name, @Domains, @Challenge, @ForRoute, 0, @CreatedAt)
            ON CONFLICT DO NOTHING
            """,
            new
            {
                request.Name,
                Domains = JsonSerializer.Serialize(request.Domains),
                request.Challenge,
                ForRoute = request.ForRoute ? 1 : 0,
                CreatedAt = request.CreatedAt.ToString("O"),
            },
            cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
    }

    /// <summary>Records an attempt's outcome: a success clears the failures, a failure counts and sets the next attempt.</summary>
    public async Task SetOutcomeAsync(string name, int failures, DateTimeOffset? nextAttempt, string? lastError, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE acme_certificates SET failures = @failures, next_attempt = @next, last_error = @lastError WHERE name = @name",
            new { name, failures, next = nextAttempt?.ToString("O"), lastError },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM acme_certificates WHERE name = @name", new { name }, cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
    }

    private sealed record Row
    {
        public string Name { get; init; } = "";
        public string Domains { get; init; } = "[]";
        public string Challenge { get; init; } = "";
        public long ForRoute { get; init; }
        public long Failures { get; init; }
        public string? NextAttempt { get; init; }
        public string? LastError { get; init; }
        public string CreatedAt { get; init; } = "";

        public AcmeRequest ToRequest() => new()
        {
            Name = Name,
            Domains = JsonSerializer.Deserialize<string[]>(Domains) ?? [],
            Challenge = Challenge,
            ForRoute = ForRoute != 0,
            Failures = (int)Failures,
            NextAttempt = NextAttempt is null ? null : DateTimeOffset.Parse(NextAttempt, System.Globalization.CultureInfo.InvariantCulture),
            LastError = LastError,
            CreatedAt = DateTimeOffset.Parse(CreatedAt, System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
