using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using Latchkey.Server.Login;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Management;
using Latchkey.Server.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Server.Tests.Login;

/// <summary>
/// One email rule for sign-up, login, the tenant file and the Management API: NFC, lower-case, IDNA domains, and
/// look-alikes refused (mixed scripts, characters that imitate ASCII letters), so nobody can squat or mimic an address.
/// </summary>
public sealed class EmailLookAlikeTests : IAsyncLifetime
{
    private const string Password = "a look-alike proof passphrase";
    private LatchkeyTestServer _server = null!;

    public async Task InitializeAsync() => _server = await LatchkeyTestServer.StartAsync(ManagementTenant.Json, "--Latchkey:Issuer", ManagementTenant.Issuer);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public static TheoryData<string, string> LookAlikes => new()
    {
        // Dotless ı (U+0131): the review's admın@example.com.
        { "adm\u0131n@example.com", "This email address contains a character that imitates another before the @ (look-alike addresses are not accepted)." },
        // Cyrillic а (U+0430) among Latin letters.
        { "\u0430dmin@example.com", "This email address mixes alphabets before the @ (look-alike addresses are not accepted)." },
        // Greek ο (U+03BF) among Latin letters.
        { "b\u03BFb@example.com", "This email address mixes alphabets before the @ (look-alike addresses are not accepted)." },
        // Long s (U+017F), which upper-cases to S.
        { "\u017Fam@example.com", "This email address contains a character that imitates another before the @ (look-alike addresses are not accepted)." },
        // Full-width letters.
        { "\uFF41dmin@example.com", "This email address contains a character that imitates another before the @ (look-alike addresses are not accepted)." },
    };

    [Theory]
    [MemberData(nameof(LookAlikes))]
    public async Task SignUp_LookAlikeAddress_RefusedWithReason(string email, string message)
    {
        using var response = await SignUpAsync(email);

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(HtmlEncoder.Default.Encode(message), html, StringComparison.Ordinal);
        Assert.Equal(2, await UserCountAsync());
    }

    [Fact]
    public async Task SignUp_SameAddressDecomposed_IsTheSameAccount()
    {
        using var precomposed = await SignUpAsync("jos\u00E9@example.com");
        using var decomposed = await SignUpAsync("jose\u0301@example.com");

        Assert.Equal(HttpStatusCode.SeeOther, precomposed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, decomposed.StatusCode);
        Assert.Contains(HtmlEncoder.Default.Encode("An account with this email already exists. Log in instead."), await decomposed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var scope = _server.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Set<User>().SingleAsync(u => u.Email.StartsWith("jos"));
        Assert.Equal("jos\u00E9@example.com", user.NormalizedEmail);
    }

    [Fact]
    public async Task LogIn_InternationalisedDomainInEitherForm_FindsTheSameAccount()
    {
        using var signUp = await SignUpAsync("Bob@B\u00DCCHER.example");
        Assert.Equal(HttpStatusCode.SeeOther, signUp.StatusCode);

        foreach (var typed in new[] { "bob@b\u00FCcher.example", "BOB@xn--bcher-kva.example", " bob@B\u00FCcher.Example " })
        {
            using var client = _server.CreateClient(new CookieContainer());
            using var login = await LoginDriver.LogInAsync(client, typed, Password);
            Assert.True(login.StatusCode == HttpStatusCode.SeeOther, typed);
        }

        await using var scope = _server.Services.CreateAsyncScope();
        Assert.Equal("bob@xn--bcher-kva.example", await scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Set<User>()
            .Where(u => u.Email == "Bob@B\u00DCCHER.example").Select(u => u.NormalizedEmail).SingleAsync());
    }

    [Fact]
    public async Task ManagementApi_PatchToLookAlikeAddress_Is400()
    {
        var token = await ManagementTokens.ClientCredentialsAsync(_server, ManagementTenant.AdminClient, ManagementTenant.AdminSecret);
        await using var scope = _server.Services.CreateAsyncScope();
        var bob = await scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Set<User>().Where(u => u.Email == ManagementTenant.BobEmail).Select(u => u.UserId).SingleAsync();
        using var client = _server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"api/v2/users/{Uri.EscapeDataString(bob)}")
        {
            Content = new StringContent("{\"email\":\"\u0430lice@example.com\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await client.SendAsync(request);

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal($"Payload validation error: '\"\u0430lice@example.com\" {EmailAddress.MixedScripts}' on property email.", (string?)body["message"]);
    }

    [Fact]
    public void TenantFile_LookAlikeUser_FailsWithPath()
    {
        var error = Assert.Throws<TenantFileException>(() => TenantFileReader.Parse("{ \"users\": [ { \"email\": \"adm\u0131n@example.com\" } ] }", "tenant.json"));

        Assert.Equal("tenant.json: users[0].email: \"adm\u0131n@example.com\" contains a character that imitates another before the @ (look-alike addresses are not accepted)", error.Message);
    }

    [Theory]
    [InlineData("Alice@Example.COM", "alice@example.com")]
    [InlineData("  jos\u00E9@EXAMPLE.com ", "jos\u00E9@example.com")]
    [InlineData("jose\u0301@example.com", "jos\u00E9@example.com")]
    [InlineData("anna@B\u00DCCHER.de", "anna@xn--bcher-kva.de")]
    [InlineData("\u7528\u6237@\u4F8B\u5B50.\u4E2D\u56FD", "\u7528\u6237@xn--fsqu00a.xn--fiqs8s")]
    [InlineData("li.\u7528\u6237@example.com", "li.\u7528\u6237@example.com")]
    [InlineData("\u0434\u043C\u0438\u0442\u0440\u0438\u0439@example.ru", "\u0434\u043C\u0438\u0442\u0440\u0438\u0439@example.ru")]
    public void Rule_AcceptedAddress_NormalizesToKey(string typed, string key)
    {
        Assert.True(EmailAddress.TryNormalize(typed, out _, out var normalized, out var problem), problem);
        Assert.Equal(key, normalized);
    }

    private async Task<HttpResponseMessage> SignUpAsync(string email)
    {
        using var client = _server.CreateClient(new CookieContainer());
        var token = await LoginDriver.GetAntiforgeryTokenAsync(client, "/signup");
        return await LoginDriver.PostSignUpAsync(client, token, email, Password, "/");
    }

    private async Task<int> UserCountAsync()
    {
        await using var scope = _server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Set<User>().CountAsync();
    }
}
