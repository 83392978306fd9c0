using System.Text.Json;
using Berth.Contracts;

namespace Berth.Tests.Client;

/// <summary>One HTTP answer <see cref="CannedBerthd"/> gives.</summary>
internal sealed record CannedResponse(int Status, string ContentType, string Body)
{
    public static CannedResponse Json<T>(int status, T value) =>
        new(status, "application/json", JsonSerializer.Serialize(value, BerthJson.Options));

    public static CannedResponse Problem(int status, string title, string? detail) =>
        new(status, "application/problem+json", JsonSerializer.Serialize(new ProblemInfo { Status = status, Title = title, Detail = detail }, BerthJson.Options));

    public static CannedResponse Job(string id, JobStatus status, string? progress = null, string? error = null, int httpStatus = 200) =>
        Json(httpStatus, new JobInfo
        {
            Id = id,
            Kind = "container.launch",
            Target = "web",
            Status = status,
            Progress = progress,
            Error = error,
            CreatedAt = DateTimeOffset.UnixEpoch,
        });
}
