using System.Net;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Tenants;
using Latchkey.Server.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Server.Tests.Users;

/// <summary>The tenant file's <c>password_hash</c>: a bcrypt hash moved from Auth0 logs in and is upgraded.</summary>
public sealed class TenantFilePasswordHashTests
{
    [Fact]
    public async Task TenantFile_BcryptPasswordHash_LogsInAndIsUpgraded()
    {
        var hash = BCrypt.Net.BCrypt.HashPassword("moved-from-auth0", 10);
        await using var server = await LatchkeyTestServer.StartAsync($$"""{ "users": [ { "email": "moved@example.com", "password_hash": "{{hash}}" } ] }""");
        Assert.Equal(hash, await StoredHashAsync(server));

        using var client = server.CreateClient(new CookieContainer());
        using var response = await LoginDriver.LogInAsync(client, "moved@example.com", "moved-from-auth0");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal(0x01, Convert.FromBase64String(await StoredHashAsync(server))[0]);
    }

    [Theory]
    [InlineData("\"password_hash\": \"5f4dcc3b5aa765d61d8327deb882cf99\"", "is not a bcrypt hash")]
    [InlineData("\"password\": \"correct horse battery\", \"password_hash\": \"$2b$04$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOe\"", "cannot be given with password")]
    public async Task TenantFile_BadPasswordHash_IsRefusedWithItsPath(string member, string problem)
    {
        using var host = new TenantHost();

        var error = await Assert.ThrowsAsync<TenantFileException>(() => host.BuildWithFileAsync($$"""{ "users": [ { "email": "moved@example.com", {{member}} } ] }"""));

        Assert.Contains("users[0].password_hash", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    private static async Task<string> StoredHashAsync(LatchkeyTestServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Set<User>().Where(u => u.Email == "moved@example.com").Select(u => u.PasswordHash!).SingleAsync();
    }
}
