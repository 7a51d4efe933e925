using System.Net;
using Latchkey.Server.AttackProtection;
using Latchkey.Server.Hosting;
using Latchkey.Server.Login;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Tests.Login;

public sealed class LoginThrottleTests : IAsyncLifetime
{
    private LatchkeyTestServer _server = null!;

    public async Task InitializeAsync() => _server = await LatchkeyTestServer.StartAsync(LoginTenant.Json);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    [Trait("Rule", "BF-1")]
    public async Task Login_TenFailuresFromOneIp_Then429EvenWithRightPassword()
    {
        using var client = _server.CreateClient(new CookieContainer());

        for (var i = 0; i < new LoginOptions().MaxFailedAttempts; i++)
        {
            using var failed = await LoginDriver.LogInAsync(client, LoginTenant.AliceEmail, $"wrong-password-{i}");
            Assert.Equal(HttpStatusCode.BadRequest, failed.StatusCode);
        }

        using var blocked = await LoginDriver.LogInAsync(client, LoginTenant.AliceEmail, LoginTenant.AlicePassword);

        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Contains("Too many failed login attempts", await blocked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(blocked.Headers.Location);
    }

    [Fact]
    public async Task Login_NineFailuresThenSuccess_ResetsCounter()
    {
        using var client = _server.CreateClient(new CookieContainer());
        for (var i = 0; i < new LoginOptions().MaxFailedAttempts - 1; i++)
        {
            (await LoginDriver.LogInAsync(client, LoginTenant.AliceEmail, "wrong-password")).Dispose();
        }

        using var success = await LoginDriver.LogInAsync(client, LoginTenant.AliceEmail, LoginTenant.AlicePassword);
        using var oneMoreFailure = await LoginDriver.LogInAsync(client, LoginTenant.AliceEmail, "wrong-password");

        Assert.Equal(HttpStatusCode.SeeOther, success.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, oneMoreFailure.StatusCode);
    }

    [Fact]
    public async Task Login_UnknownEmail_ThrottledLikeAKnownOne()
    {
        using var client = _server.CreateClient(new CookieContainer());
        for (var i = 0; i < new LoginOptions().MaxFailedAttempts; i++)
        {
            (await LoginDriver.LogInAsync(client, "nobody@example.com", "wrong-password")).Dispose();
        }

        using var response = await LoginDriver.LogInAsync(client, "nobody@example.com", "wrong-password");

        // Same answer as for an existing account, so a block reveals nothing about which emails exist.
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
    }

    [Fact]
    [Trait("Rule", "BF-4")]
    public async Task Authenticate_BlockedOnOneIp_AnotherIpStillWorks()
    {
        await FailAsync(LoginTenant.AliceEmail, "203.0.113.7", new LoginOptions().MaxFailedAttempts);

        var fromAttacker = await AuthenticateAsync(LoginTenant.AliceEmail, LoginTenant.AlicePassword, "203.0.113.7");
        var fromVictim = await AuthenticateAsync(LoginTenant.AliceEmail, LoginTenant.AlicePassword, "198.51.100.20");

        Assert.Equal(PasswordAuthenticationOutcome.Throttled, fromAttacker);
        Assert.Equal(PasswordAuthenticationOutcome.Success, fromVictim);
    }

    [Fact]
    public async Task Login_AdminUnblock_LiftsTheBlock()
    {
        using var client = _server.CreateClient(new CookieContainer());
        for (var i = 0; i < new LoginOptions().MaxFailedAttempts; i++)
        {
            (await LoginDriver.LogInAsync(client, LoginTenant.AliceEmail, "wrong-password")).Dispose();
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await LoginDriver.LogInAsync(client, LoginTenant.AliceEmail, LoginTenant.AlicePassword)).StatusCode);

        int removed;
        await using (var scope = _server.Services.CreateAsyncScope())
        {
            var throttle = scope.ServiceProvider.GetRequiredService<LoginThrottleService>();
            Assert.Single(await throttle.GetBlocksAsync(Server.Users.EmailAddress.Normalize(LoginTenant.AliceEmail)));
            removed = await throttle.UnblockAsync(Server.Users.EmailAddress.Normalize(LoginTenant.AliceEmail));
        }

        using var after = await LoginDriver.LogInAsync(client, LoginTenant.AliceEmail, LoginTenant.AlicePassword);
        Assert.Equal(1, removed);
        Assert.Equal(HttpStatusCode.SeeOther, after.StatusCode);
    }

    [Fact]
    [Trait("Rule", "BF-3")]
    public async Task Login_ParallelWrongPasswords_AtMostThresholdVerified()
    {
        // BF-3: the attempt is reserved in the database before the password is checked, so a burst cannot verify
        // more guesses than the threshold.
        var attempts = Enumerable.Range(0, 25).Select(async i =>
        {
            using var client = _server.CreateClient(new CookieContainer());
            var token = await LoginDriver.GetAntiforgeryTokenAsync(client, "/login");
            using var response = await LoginDriver.PostLoginAsync(client, token, LoginTenant.AliceEmail, $"guess-{i}", "/");
            return response.StatusCode;
        });

        var statuses = await Task.WhenAll(attempts);

        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.BadRequest or HttpStatusCode.TooManyRequests, s.ToString()));
        Assert.Equal(new LoginOptions().MaxFailedAttempts, statuses.Count(s => s == HttpStatusCode.BadRequest));
        await using var scope = _server.Services.CreateAsyncScope();
        var row = await scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Set<LoginThrottle>().SingleAsync(t => t.Subject == Server.Users.EmailAddress.Normalize(LoginTenant.AliceEmail));
        Assert.Equal(new LoginOptions().MaxFailedAttempts, row.FailedCount);
    }

    [Fact]
    [Trait("Rule", "BF-6")]
    public async Task Authenticate_HundredFailuresFromOneIpAcrossAccounts_ThrottlesThatIpOnly()
    {
        await using (var scope = _server.Services.CreateAsyncScope())
        {
            var throttle = scope.ServiceProvider.GetRequiredService<LoginThrottleService>();
            for (var i = 0; i < new LoginOptions().MaxFailedAttemptsPerIpPerDay; i++)
            {
                await throttle.RecordIpFailureAsync("203.0.113.50");
            }
        }

        Assert.Equal(PasswordAuthenticationOutcome.Throttled, await AuthenticateAsync(LoginTenant.AliceEmail, LoginTenant.AlicePassword, "203.0.113.50"));
        Assert.Equal(PasswordAuthenticationOutcome.Success, await AuthenticateAsync(LoginTenant.AliceEmail, LoginTenant.AlicePassword, "203.0.113.51"));
    }

    [Fact]
    public async Task Authenticate_FailedLogins_CountTowardsTheIpsDailyLimit()
    {
        await FailAsync("someone-else@example.com", "203.0.113.60", 3);

        await using var scope = _server.Services.CreateAsyncScope();
        var row = await scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Set<LoginThrottle>()
            .SingleAsync(t => t.IpAddress == "203.0.113.60" && !t.Subject.Contains('@'));
        Assert.Equal(3, row.FailedCount);
    }

    [Fact]
    [Trait("Rule", "BF-6")]
    public async Task SignUp_FiftyFromOneIpInAMinute_Then429UntilTheWindowPasses()
    {
        var now = DateTimeOffset.UtcNow;
        await using (var scope = _server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
            var throttle = new LoginThrottleService(db, scope.ServiceProvider.GetRequiredService<IOptions<LatchkeyOptions>>(), new FixedTime(now));
            for (var i = 0; i < new LoginOptions().MaxSignUpsPerIpPerMinute; i++)
            {
                Assert.True(await throttle.TryCountSignUpAsync("127.0.0.1"));
            }

            Assert.False(await throttle.TryCountSignUpAsync("127.0.0.1"));
            Assert.True(await throttle.TryCountSignUpAsync("127.0.0.2"));
        }

        using var client = _server.CreateClient(new CookieContainer());
        var token = await LoginDriver.GetAntiforgeryTokenAsync(client, "/signup");
        using var refused = await LoginDriver.PostSignUpAsync(client, token, "fresh@example.com", "a fine passphrase", "/");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("Too many sign-ups", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await using (var scope = _server.Services.CreateAsyncScope())
        {
            var later = new LoginThrottleService(scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>(), scope.ServiceProvider.GetRequiredService<IOptions<LatchkeyOptions>>(), new FixedTime(now.AddMinutes(2)));
            Assert.True(await later.TryCountSignUpAsync("127.0.0.1"));
        }
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("::ffff:10.1.2.3", "10.1.2.3")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    public void KeyFor_Address_NormalizesIpv6ToSlash64(string address, string expected)
    {
        Assert.Equal(expected, LoginThrottleService.KeyFor(IPAddress.Parse(address)));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private async Task FailAsync(string email, string ip, int times)
    {
        for (var i = 0; i < times; i++)
        {
            Assert.Equal(PasswordAuthenticationOutcome.InvalidCredentials, await AuthenticateAsync(email, "wrong-password", ip));
        }
    }

    private async Task<PasswordAuthenticationOutcome> AuthenticateAsync(string email, string password, string ip)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<PasswordAuthenticator>().AuthenticateAsync(email, password, ip);
        return result.Outcome;
    }
}
