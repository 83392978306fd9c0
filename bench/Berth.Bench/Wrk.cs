using System.Diagnostics;
using System.Globalization;

namespace Berth.Bench;

/// <summary>wrk against a name on the proxy: fixed-length runs with their req/s and p99, or a run stopped with SIGINT and its failures.</summary>
public static class Wrk
{
    public sealed record Result(double RequestsPerSecond, double P99Milliseconds, long Requests, long Failed, string Errors);

    public static async Task<Result> RunAsync(string url, string host, string duration) =>
        Parse(await BenchHost.ToolAsync("wrk", "-t2", "-c32", $"-d{duration}", "--latency", "-H", $"Host: {host}", url));

    /// <summary>A wrk running until <see cref="Running.StopAsync"/>; without keepalive every request is a connection of its own.</summary>
    public static Running Start(string url, string host, bool keepalive)
    {
        var info = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["-t2", "-c16", "-d600s", "--timeout", "30s", "--latency", "-H", $"Host: {host}", .. keepalive ? Array.Empty<string>() : ["-H", "Connection: close"], url])
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        return new Running(process, process.StandardOutput.ReadToEndAsync());
    }

    public sealed class Running(Process process, Task<string> output)
    {
        public async Task<Result> StopAsync()
        {
            await BenchHost.ToolAsync("kill", "-INT", process.Id.ToString(CultureInfo.InvariantCulture));
            await process.WaitForExitAsync();
            process.Dispose();
            return Parse(await output);
        }
    }

    private static Result Parse(string output)
    {
        var lines = output.Split('\n').Select(l => l.Trim()).ToList();
        var rps = double.Parse(lines.First(l => l.StartsWith("Requests/sec:", StringComparison.Ordinal))["Requests/sec:".Length..].Trim(), CultureInfo.InvariantCulture);
        var p99 = lines.FirstOrDefault(l => l.StartsWith("99%", StringComparison.Ordinal)) is { } line ? Milliseconds(line["99%".Length..].Trim()) : double.NaN;
        var requests = long.Parse(lines.First(l => l.Contains(" requests in ", StringComparison.Ordinal)).Split(' ')[0], CultureInfo.InvariantCulture);
        long failed = 0;
        var errors = new List<string>();
        if (lines.FirstOrDefault(l => l.StartsWith("Non-2xx or 3xx responses:", StringComparison.Ordinal)) is { } non2xx)
        {
            failed += long.Parse(non2xx.Split(':')[1].Trim(), CultureInfo.InvariantCulture);
            errors.Add(non2xx);
        }

        if (lines.FirstOrDefault(l => l.StartsWith("Socket errors:", StringComparison.Ordinal)) is { } socket)
        {
            failed += socket["Socket errors:".Length..].Split(',').Sum(p => long.Parse(p.Trim().Split(' ')[1], CultureInfo.InvariantCulture));
            errors.Add(socket);
        }

        return new Result(rps, p99, requests, failed, errors.Count == 0 ? "none" : string.Join("; ", errors));
    }

    private static double Milliseconds(string text)
    {
        var unit = text.TrimStart("0123456789.".ToCharArray());
        var value = double.Parse(text[..^unit.Length], CultureInfo.InvariantCulture);
        return unit switch { "us" => value / 1000, "ms" => value, "s" => value * 1000, "m" => value * 60000, _ => double.NaN };
    }
}
