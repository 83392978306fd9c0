namespace Berth.Daemon.Jobs;

/// <summary>
/// Collects an undo for every finished step of a multi-step action; disposing without <see cref="Success"/> runs
/// them in reverse order, so a failure leaves nothing behind.
/// </summary>
public sealed class Reverter(ILogger logger) : IAsyncDisposable
{
    private readonly Stack<(string What, Func<Task> Undo)> _steps = new();
    private readonly Lock _lock = new();
    private bool _succeeded;

    /// <summary>Safe to call from steps that run side by side; the undos run in the reverse order they were added.</summary>
    public void Add(string what, Func<Task> undo)
    {
        lock (_lock)
        {
            _steps.Push((what, undo));
        }
    }

    public void Add(string what, Action undo) => Add(what, () =>
    {
        undo();
        return Task.CompletedTask;
    });

    public void Success() => _succeeded = true;

    public async ValueTask DisposeAsync()
    {
        if (_succeeded)
        {
            return;
        }

        while (_steps.TryPop(out var step))
        {
            try
            {
                await step.Undo().ConfigureAwait(false);
            }
#pragma warning disable CA1031 // An undo that fails must not stop the others.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                JobLog.UndoFailed(logger, step.What, ex);
            }
        }
    }
}
