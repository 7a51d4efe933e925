namespace Latchkey.Server.Management.Jobs;

/// <summary>Wakes this node's <see cref="UserImportWorker"/> when a job is created here, instead of waiting for its next poll.</summary>
internal sealed class JobSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another request woke the worker first: once is enough.
            }
        }
    }

    /// <summary>Waits until <see cref="Notify"/> or <paramref name="timeout"/> (the poll that finds other nodes' jobs).</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _signal.Dispose();
}
