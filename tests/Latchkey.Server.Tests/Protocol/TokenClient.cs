using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Latchkey.Server.Tests.Protocol;

/// <summary>Small helpers to call /oauth/token as the SDKs do (form, JSON, Basic) and read JWTs without validating them.</summary>
internal static class TokenClient
{
    public static Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string path, params (string Name, string Value)[] parameters) =>
        client.PostAsync(path, new FormUrlEncodedContent(parameters.Select(p => KeyValuePair.Create(p.Name, p.Value))));

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, params (string Name, string Value)[] parameters)
    {
        var body = new JsonObject();
        foreach (var (name, value) in parameters)
        {
            body[name] = value;
        }

        return client.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
    }

    public static Task<HttpResponseMessage> ClientCredentialsAsync(this HttpClient client, string clientId, string secret, string? audience, string? scope = null)
    {
        var parameters = new List<(string, string)> { ("grant_type", "client_credentials"), ("client_id", clientId), ("client_secret", secret) };
        if (audience is not null)
        {
            parameters.Add(("audience", audience));
        }

        if (scope is not null)
        {
            parameters.Add(("scope", scope));
        }

        return client.PostFormAsync("oauth/token", [.. parameters]);
    }

    public static AuthenticationHeaderValue Basic(string clientId, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}")));

    public static async Task<JsonObject> ReadJsonObjectAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!;

    /// <summary>Decodes a JWT's header and payload (no validation: tests that need validation use the JWKS).</summary>
    public static (JsonObject Header, JsonObject Payload) Decode(string jwt)
    {
        var parts = jwt.Split('.');
        Assert.Equal(3, parts.Length);
        return (Part(parts[0]), Part(parts[1]));

        static JsonObject Part(string segment) =>
            JsonNode.Parse(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(segment))!.AsObject();
    }

    public static string[] Strings(JsonNode? node) => node switch
    {
        JsonArray array => array.Select(item => item!.GetValue<string>()).ToArray(),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => [value.GetValue<string>()],
        _ => [],
    };
}
