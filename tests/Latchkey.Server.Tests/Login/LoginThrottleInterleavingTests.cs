using Latchkey.Server.AttackProtection;
using Latchkey.Server.Hosting;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Server.Tests.Login;

/// <summary>
/// The login throttle's count under races, forced rather than left to the scheduler: another request's write lands
/// between two of the counting request's commands (<see cref="LoginThrottleInterleaving"/>). A counter row that
/// appears after the conditional UPDATE missed is counted against, never read as a block (the bench's one refusal in
/// 54 logins); only a row at the limit blocks; a lost INSERT counts on the next pass; and a pass lost every time is
/// refused after five (fail closed), never left uncounted. The command sequence is asserted too: it is what shows
/// which branch decided.
/// </summary>
public sealed class LoginThrottleInterleavingTests : IAsyncLifetime
{
    private const string Subject = "mallory@example.com";
    private const string Address = "203.0.113.7";
    private static readonly int Limit = new LoginOptions().MaxFailedAttempts;

    private readonly LoginThrottleInterleaving _interleaving = new();
    private LatchkeyTestServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await LatchkeyTestServer.StartWithServicesAsync(LoginTenant.Json, services =>
            services.ConfigureDbContext<SqliteLatchkeyDbContext>((_, db) => db.AddInterceptors(_interleaving), ServiceLifetime.Singleton));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    [Trait("Rule", "BF-3")]
    public async Task ReserveAttempt_RowInsertedBetweenUpdateAndCheck_CountedAgainstNotTakenForABlock()
    {
        _interleaving.AfterMissedUpdate = Once(() => InsertAsync(Limit - 2));

        var (reserved, commands) = await ReserveAsync();

        Assert.True(reserved, "a row under the limit inserted by another request is no block");
        Assert.Equal(["UPDATE", "SELECT", "UPDATE"], commands);
        Assert.Equal(Limit - 1, await CountAsync());
    }

    [Fact]
    [Trait("Rule", "BF-3")]
    public async Task ReserveAttempt_RowAtTheLimitInsertedBetweenUpdateAndCheck_BlockedAfterOnePass()
    {
        _interleaving.AfterMissedUpdate = Once(() => InsertAsync(Limit));

        var (reserved, commands) = await ReserveAsync();

        Assert.False(reserved);
        Assert.Equal(["UPDATE", "SELECT"], commands);
        Assert.Equal(Limit, await CountAsync());
    }

    [Fact]
    [Trait("Rule", "BF-3")]
    public async Task ReserveAttempt_RowInsertedBetweenCheckAndInsert_CountedAgainstOnTheNextPass()
    {
        _interleaving.BeforeInsert = Once(() => InsertAsync(Limit - 2));

        var (reserved, commands, tracked) = await ReserveTrackingAsync();

        Assert.True(reserved);
        Assert.Equal(["UPDATE", "SELECT", "INSERT", "UPDATE"], commands);
        Assert.Equal(Limit - 1, await CountAsync());
        Assert.Equal(0, tracked);
    }

    [Fact]
    [Trait("Rule", "BF-3")]
    public async Task ReserveAttempt_EveryPassLosesItsRow_RefusedAfterFivePasses()
    {
        // Another request inserts the row after each UPDATE missed it, and a successful login resets it before the next.
        _interleaving.BeforeUpdate = DeleteAsync;
        _interleaving.AfterMissedUpdate = () => InsertAsync(0);

        var (reserved, commands) = await ReserveAsync();

        Assert.False(reserved, "a count that never lands must fail closed");
        Assert.Equal(Enumerable.Repeat<string[]>(["UPDATE", "SELECT"], 5).SelectMany(pass => pass), commands);
    }

    private async Task<(bool Reserved, List<string> Commands)> ReserveAsync()
    {
        var (reserved, commands, _) = await ReserveTrackingAsync();
        return (reserved, commands);
    }

    /// <summary>One attempt reserved by a request of its own; also how many counter rows its context still tracks.</summary>
    private async Task<(bool Reserved, List<string> Commands, int Tracked)> ReserveTrackingAsync()
    {
        await using var scope = _server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
        _interleaving.Watched = db;
        try
        {
            var reserved = await scope.ServiceProvider.GetRequiredService<LoginThrottleService>().TryReserveAttemptAsync(Subject, Address);
            return (reserved, [.. _interleaving.Commands], db.ChangeTracker.Entries<LoginThrottle>().Count());
        }
        finally
        {
            _interleaving.Watched = null;
        }
    }

    private static Func<Task> Once(Func<Task> action)
    {
        var ran = 0;
        return () => Interlocked.Exchange(ref ran, 1) == 0 ? action() : Task.CompletedTask;
    }

    /// <summary>The other request's first failure, committed on a connection of its own.</summary>
    private async Task InsertAsync(int failedCount)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
        var now = DateTimeOffset.UtcNow;
        db.Add(new LoginThrottle { Subject = Subject, IpAddress = Address, FailedCount = failedCount, FirstFailureAt = now, LastFailureAt = now });
        await db.SaveChangesAsync();
    }

    private async Task DeleteAsync()
    {
        await using var scope = _server.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<LoginThrottleService>().ResetAsync(Subject, Address);
    }

    private async Task<int?> CountAsync()
    {
        await using var scope = _server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Set<LoginThrottle>()
            .Where(t => t.Subject == Subject && t.IpAddress == Address).Select(t => (int?)t.FailedCount).SingleOrDefaultAsync();
    }
}
