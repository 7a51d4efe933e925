namespace Latchkey.Server.Tests.Infrastructure;

/// <summary>
/// Polls until a condition holds or a deadline passes, for the few things that are eventually consistent by design
/// (another node noticing a change, a database coming back). The deadline is the bound under test plus a wide margin
/// for a loaded machine; a test that needs "within N s" measures the elapsed time itself.
/// </summary>
internal static class Eventually
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Returns the last value <paramref name="probe"/> produced: the first that satisfied <paramref name="until"/>, or the last before the deadline.</summary>
    public static async Task<T> PollAsync<T>(Func<Task<T>> probe, Func<T, bool> until, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await probe();
            if (until(value) || DateTime.UtcNow >= deadline)
            {
                return value;
            }

            await Task.Delay(PollInterval);
        }
    }
}
