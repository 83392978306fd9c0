namespace Berth.Client.Events;

/// <summary>One dispatched text/event-stream event: its <c>id</c> (when the block set one), <c>event</c> type and joined <c>data</c>.</summary>
internal sealed record ServerSentEvent(string? Id, string Type, string Data);
