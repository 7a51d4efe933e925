using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Management;
using Latchkey.Server.Tests.Protocol;
using Microsoft.AspNetCore.WebUtilities;

namespace Latchkey.Server.Tests.Accounts;

/// <summary>What the account tests do as a browser, as auth0-js and as an administrator.</summary>
internal static class AccountFlows
{
    public const string Connection = "Username-Password-Authentication";

    public static string NewEmail(string tag) => $"{tag}-{Guid.NewGuid():N}@example.com";

    /// <summary><c>POST /dbconnections/signup</c> exactly as auth0-js's <c>signup</c> sends it.</summary>
    public static async Task<HttpResponseMessage> SignUpAsync(LatchkeyTestServer server, string email, string password, string? extra = null)
    {
        using var client = server.CreateClient();
        var json = $$"""{"client_id":"{{ProtocolTenant.SpaClient}}","connection":"{{Connection}}","email":"{{email}}","password":"{{password}}"{{extra}}}""";
        return await client.PostAsync("dbconnections/signup", new StringContent(json, Encoding.UTF8, "application/json"));
    }

    /// <summary><c>POST /dbconnections/change_password</c> as auth0-js's <c>changePassword</c> sends it.</summary>
    public static async Task<HttpResponseMessage> ChangePasswordAsync(LatchkeyTestServer server, string email)
    {
        using var client = server.CreateClient();
        var json = $$"""{"client_id":"{{ProtocolTenant.SpaClient}}","email":"{{email}}","connection":"{{Connection}}"}""";
        return await client.PostAsync("dbconnections/change_password", new StringContent(json, Encoding.UTF8, "application/json"));
    }

    /// <summary>Logs in through /authorize and the login page, redeems the code: the token response.</summary>
    public static async Task<JsonObject> SignInAsync(LatchkeyTestServer server, HttpClient browser, string email, string password)
    {
        var flow = new CodeFlow();
        var callback = await LoginDriver.AuthorizeAsync(server, browser, flow.AuthorizeUrl(), email, password);
        var code = QueryHelpers.ParseQuery(callback.Query)["code"].ToString();
        Assert.False(string.IsNullOrEmpty(code), callback.ToString());
        using var response = await flow.RedeemAsync(browser, code);
        var body = await response.ReadJsonObjectAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return body;
    }

    public static JsonObject IdToken(JsonObject tokens) => TokenClient.Decode((string)tokens["id_token"]!).Payload;

    /// <summary>Opens a reset link, reads its form and posts the new password: the POST's response.</summary>
    public static async Task<HttpResponseMessage> ResetAsync(HttpClient browser, string linkPath, string password, string? confirm = null)
    {
        using var page = await browser.GetAsync(linkPath.TrimStart('/'));
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, html);
        var form = new Dictionary<string, string>
        {
            [LoginDriver.AntiforgeryFieldName] = LoginDriver.ParseAntiforgeryToken(html),
            ["ticket"] = LoginDriver.HiddenField(html, "ticket")!,
            ["password"] = password,
            ["confirm"] = confirm ?? password,
        };
        return await browser.PostAsync("u/reset-password", new FormUrlEncodedContent(form));
    }

    public static async Task<HttpResponseMessage> ManageAsync(LatchkeyTestServer server, HttpMethod method, string path, string? json, string scope)
    {
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ManagementTokens.Mint(server, "admin@clients", scope, client: true));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request);
    }

    public static async Task<JsonObject> GetUserAsync(LatchkeyTestServer server, string userId)
    {
        using var response = await ManageAsync(server, HttpMethod.Get, $"api/v2/users/{Uri.EscapeDataString(userId)}", null, "read:users");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonObjectAsync();
    }
}
