using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tenants.Rules;
using Latchkey.Server.Tests.Management;

namespace Latchkey.Server.Tests.Tenants;

/// <summary>
/// One set of entity rules behind the tenant file and the Management API: the same value is refused by both, with the
/// same words, the file at its path in the file and the API at its path in the body.
/// </summary>
public sealed class EntityRulesTests(ManagementServerFixture fixture) : IClassFixture<ManagementServerFixture>
{
    [Fact]
    public void ApplicationRules_Draft_ReportsPathsRelativeToTheEntity()
    {
        var draft = new ApplicationDraft
        {
            ClientId = "spa",
            AppType = AppTypes.Spa,
            Callbacks = ["https://ok.example.com/cb", "javascript:alert(1)"],
            GrantTypes = ["client_credentials"],
            RefreshToken = new RefreshTokenDraft { TokenLifetime = 600, IdleTokenLifetime = 900 },
        };

        var problems = ApplicationRules.Check(draft);

        Assert.Equal(
            [
                new RuleProblem("callbacks[1]", "\"javascript:alert(1)\" is not an absolute http(s) URL"),
                new RuleProblem("grant_types[0]", "a spa application is public and cannot use client_credentials"),
                new RuleProblem("refresh_token.idle_token_lifetime", "900 must not exceed token_lifetime (600)"),
            ],
            problems);
    }

    [Fact]
    public void Drafts_WithoutOptionalMembers_GetTheEntitiesDefaults()
    {
        var application = new ApplicationDraft { ClientId = "m2m", AppType = AppTypes.NonInteractive, ClientSecret = "0123456789abcdef" }.ToApplication();
        var api = new ApiDraft { Identifier = "https://api.example.com" }.ToApi();

        Assert.Equal(["client_credentials"], application.GrantTypes);
        Assert.Equal("m2m", application.Name);
        var defaults = new RefreshTokenPolicy();
        Assert.Equal((defaults.RotationType, defaults.TokenLifetime, defaults.IdleTokenLifetime), (application.RefreshToken.RotationType, application.RefreshToken.TokenLifetime, application.RefreshToken.IdleTokenLifetime));
        Assert.Equal((new Api { Identifier = "x", Name = "x" }.TokenLifetime, "https://api.example.com"), (api.TokenLifetime, api.Name));
    }

    public static TheoryData<string, string, string> SameRuleBothWays => new()
    {
        // member, value (JSON), the rule's words
        { "name", "\"Ali\\u0001ce\"", "must not contain control characters" },
        { "name", $"\"{new string('n', 301)}\"", "must be at most 300 characters" },
        { "email", "\"alice@localhost\"", "\"alice@localhost\" is not an email address" },
        { "password", "\"short\"", "the password must be at least 8 characters" },
        { "user_metadata", $$"""{ "x": "{{new string('m', 17_000)}}" }""", "is larger than 16384 bytes" },
    };

    [Theory]
    [MemberData(nameof(SameRuleBothWays))]
    public async Task UserRules_SameBadValue_RefusedByTenantFileAndManagementApiAlike(string member, string value, string problem)
    {
        using var host = new TenantHost();
        var second = member == "email" ? $$"""{ "email": {{value}} }""" : $$"""{ "email": "bob@example.com", "{{member}}": {{value}} }""";
        var file = $$"""{ "users": [ { "email": "alice@example.com" }, {{second}} ] }""";

        var fileError = await Assert.ThrowsAsync<TenantFileException>(() => host.BuildWithFileAsync(file));
        var token = ManagementTokens.Mint(fixture.Server, ManagementTenant.AdminClient + "@clients", ManagementScopes.UpdateUsers, client: true);
        using var client = fixture.Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.PatchAsync($"api/v2/users/{Uri.EscapeDataString(fixture.Alice)}",
            new StringContent($$"""{ "{{member}}": {{value}} }""", Encoding.UTF8, "application/json"));

        Assert.Contains($"users[1].{member}: {problem}", fileError.Problems);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("invalid_body", (string?)error["errorCode"]);
        Assert.Equal($"Payload validation error: '{problem}' on property {member}.", (string?)error["message"]);
    }
}
