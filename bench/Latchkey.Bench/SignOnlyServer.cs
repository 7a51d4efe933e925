using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace Latchkey.Bench;

/// <summary>
/// The physical limit for <c>client_credentials</c>: a bare Kestrel endpoint that reads the form and signs one RS256 JWT
/// (RSA-2048) shaped like Latchkey's M2M access token, with no client lookup, no protocol engine and no storage.
/// Hand-written on purpose: the point is the least work that still reads a request and signs a token.
/// </summary>
internal static class SignOnlyServer
{
    private static readonly byte[] Header = Base64Url.EncodeToUtf8("""{"alg":"RS256","kid":"sign-only","typ":"at+jwt"}"""u8.ToArray());

    public static async Task RunAsync(string url)
    {
        using var rsa = RSA.Create(2048);
        var issuer = url.TrimEnd('/') + "/";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/token", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            if (form["grant_type"] != "client_credentials" || form["client_id"].Count != 1 || form["audience"].Count != 1)
            {
                return Results.BadRequest();
            }

            var token = Sign(rsa, issuer, form["client_id"].ToString(), form["audience"].ToString());
            http.Response.ContentType = "application/json";
            http.Response.Headers.CacheControl = "no-store";
            var body = new ArrayBufferWriter<byte>(1024);
            using (var json = new Utf8JsonWriter(body))
            {
                json.WriteStartObject();
                json.WriteString("access_token", token);
                json.WriteString("token_type", "Bearer");
                json.WriteNumber("expires_in", 86400);
                json.WriteEndObject();
            }

            await http.Response.Body.WriteAsync(body.WrittenMemory, http.RequestAborted);
            return Results.Empty;
        });
        await app.StartAsync();
        Console.WriteLine("sign-only ready");
        await app.WaitForShutdownAsync();
    }

    private static string Sign(RSA rsa, string issuer, string clientId, string audience)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(payload))
        {
            json.WriteStartObject();
            json.WriteString("iss", issuer);
            json.WriteNumber("exp", now + 86400);
            json.WriteNumber("iat", now);
            json.WriteString("aud", audience);
            json.WriteString("scope", "read:messages");
            json.WriteString("jti", Guid.NewGuid().ToString());
            json.WriteString("sub", clientId + "@clients");
            json.WriteString("azp", clientId);
            json.WriteString("gty", "client-credentials");
            json.WriteString("client_id", clientId);
            json.WriteEndObject();
        }

        var encodedPayload = Base64Url.EncodeToUtf8(payload.WrittenSpan.ToArray());
        var input = new byte[Header.Length + 1 + encodedPayload.Length];
        Header.CopyTo(input, 0);
        input[Header.Length] = (byte)'.';
        encodedPayload.CopyTo(input, Header.Length + 1);
        var signature = rsa.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return string.Concat(System.Text.Encoding.ASCII.GetString(input), ".", Base64Url.EncodeToString(signature));
    }
}
