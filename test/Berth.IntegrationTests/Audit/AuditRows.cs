using System.Globalization;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Audit;

/// <summary>The test-only way to age the audit log: rows written straight into a test daemon's own database.</summary>
public static class AuditRows
{
    public static async Task InsertAsync(string stateDir, string id, DateTimeOffset at, string user, string action = "container.launch", string? target = null)
    {
        var sql = string.Create(CultureInfo.InvariantCulture,
            $"INSERT INTO audit (id, at, user_name, token, address, method, path, action, target, status, job_id, detail) VALUES ('{id}', '{at.ToUniversalTime():yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'}', '{user}', NULL, '127.0.0.1', 'POST', '/api/v1/containers', '{action}', '{target ?? id}', 202, NULL, NULL);");
        await Host.RunCheckedAsync("sqlite3", "-cmd", ".timeout 10000", Path.Combine(stateDir, "berth.db"), sql);
    }
}
