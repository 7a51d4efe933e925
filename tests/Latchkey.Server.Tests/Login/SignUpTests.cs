using System.Net;
using Latchkey.Server.Persistence;
using Latchkey.Server.Sessions;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Server.Tests.Login;

public sealed class SignUpTests : IAsyncLifetime
{
    private LatchkeyTestServer _server = null!;

    public async Task InitializeAsync() => _server = await LatchkeyTestServer.StartAsync(LoginTenant.Json);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task SignUp_GoodEmailAndPassword_CreatesUserSignsInAndReturns()
    {
        var cookies = new CookieContainer();
        using var client = _server.CreateClient(cookies);
        var token = await LoginDriver.GetAntiforgeryTokenAsync(client, "/signup?returnUrl=%2Fapp");

        using var response = await LoginDriver.PostSignUpAsync(client, token, "  New.Person@Example.com ", "a fresh passphrase", "/app");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/app", response.Headers.Location!.OriginalString);
        Assert.NotNull(cookies.GetCookies(_server.BaseAddress)[SessionDefaults.CookieName]);
        await using var scope = _server.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Set<User>().SingleAsync(u => u.NormalizedEmail == "new.person@example.com");
        Assert.Equal("New.Person@Example.com", user.Email);
        Assert.Matches("^latchkey\\|[0-9a-f]{24}$", user.UserId);
        Assert.Equal("New.Person", user.Nickname);
        Assert.False(user.EmailVerified);
        Assert.DoesNotContain("a fresh passphrase", user.PasswordHash!, StringComparison.Ordinal);

        using var again = _server.CreateClient(new CookieContainer());
        using var login = await LoginDriver.LogInAsync(again, "new.person@example.com", "a fresh passphrase");
        Assert.Equal(HttpStatusCode.SeeOther, login.StatusCode);
    }

    [Theory]
    [InlineData("someone@example.com", "short", "The password must be at least 8 characters.")]
    [InlineData("someone@example.com", "password123", "The password is too common; choose a less predictable password.")]
    [InlineData("someone@example.com", "Someone@Example.com", "The password must not be the email address.")]
    [InlineData("not-an-email", "a fine passphrase", "Enter a valid email address.")]
    [InlineData("alice@example.com", "a fine passphrase", "An account with this email already exists. Log in instead.")]
    public async Task SignUp_PolicyViolation_Returns400WithMessageAndCreatesNothing(string email, string password, string message)
    {
        using var client = _server.CreateClient(new CookieContainer());
        var token = await LoginDriver.GetAntiforgeryTokenAsync(client, "/signup");

        using var response = await LoginDriver.PostSignUpAsync(client, token, email, password, "/");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(System.Text.Encodings.Web.HtmlEncoder.Default.Encode(message), await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, await CountUsersAsync());
    }

    [Fact]
    public async Task SignUp_PasswordOver128Characters_Refused()
    {
        using var client = _server.CreateClient(new CookieContainer());
        var token = await LoginDriver.GetAntiforgeryTokenAsync(client, "/signup");

        using var response = await LoginDriver.PostSignUpAsync(client, token, "long@example.com", new string('k', 129), "/");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at most 128 characters", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, await CountUsersAsync());
    }

    [Fact]
    public async Task SignUp_WithoutAntiforgeryToken_Returns400()
    {
        using var client = _server.CreateClient(new CookieContainer());
        await LoginDriver.GetAntiforgeryTokenAsync(client, "/signup");

        using var response = await LoginDriver.PostSignUpAsync(client, null, "csrf@example.com", "a fine passphrase", "/");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(2, await CountUsersAsync());
    }

    private async Task<int> CountUsersAsync()
    {
        await using var scope = _server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Set<User>().CountAsync();
    }
}
