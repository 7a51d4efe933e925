using Latchkey.Server.Operations;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.Token;

/// <summary>
/// Counts each token endpoint answer by grant type and outcome (<c>issued</c>, or the OAuth error code) as it is sent.
/// Tag values are constants (an unknown grant type counts as <c>other</c>), so a client cannot mint time series.
/// </summary>
internal sealed class RecordTokenRequest(LatchkeyMetrics metrics) : IOpenIddictServerHandler<ApplyTokenResponseContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .UseSingletonHandler<RecordTokenRequest>()
            .SetOrder(int.MinValue + 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        metrics.TokenRequest(GrantTypeTag(context.Request?.GrantType), context.Response.Error ?? "issued");
        return ValueTask.CompletedTask;
    }

    private static string GrantTypeTag(string? grantType) => grantType switch
    {
        GrantTypes.AuthorizationCode => GrantTypes.AuthorizationCode,
        GrantTypes.RefreshToken => GrantTypes.RefreshToken,
        GrantTypes.ClientCredentials => GrantTypes.ClientCredentials,
        GrantTypes.Password => GrantTypes.Password,
        null or "" => "none",
        _ => "other",
    };
}
