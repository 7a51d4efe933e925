using System.Text.Json;
using Latchkey.AspNetCore.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Latchkey.AspNetCore.Tests.Validation;

/// <summary>
/// Records what Microsoft.IdentityModel does on its own with duplicate JSON members, the reason for
/// <c>JwsPreflight</c>: it parses such a token without complaint and keeps one of the values.
/// </summary>
public sealed class IdentityModelDuplicateMembersTests
{
    [Fact]
    public void JsonWebToken_DuplicateAud_ParsedSilently()
    {
        var key = SigningKey.Rsa("k");
        var token = TestAuthority.MintRaw(
            "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"k\"}",
            "{\"aud\":\"https://other/api\",\"aud\":\"https://quickstarts/api\",\"exp\":4102444800}",
            key);
        var parsed = new JsonWebToken(token);
        var audiences = parsed.Audiences.ToList();
        Assert.Single(audiences);
        Assert.Contains(audiences[0], new[] { "https://other/api", "https://quickstarts/api" });
    }

    [Fact]
    [Trait("Rule", "JWT-9")]
    public void JsonDocument_DuplicateMembers_AcceptedByDefaultRefusedWhenAsked()
    {
        const string json = "{\"alg\":\"RS256\",\"alg\":\"none\"}";
        using (JsonDocument.Parse(json))
        {
        }

        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(json, new JsonDocumentOptions { AllowDuplicateProperties = false }));
    }
}
