using Latchkey.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Latchkey.AspNetCore;

/// <summary><c>builder.Services.AddAuthentication().AddLatchkey();</c></summary>
public static class LatchkeyAuthenticationBuilderExtensions
{
    /// <summary>
    /// Adds the Latchkey bearer scheme ("Bearer"), bound from the configuration section <c>Latchkey</c>
    /// (<c>Authority</c>, <c>Audience</c>), then <paramref name="configure"/>. Invalid settings stop the app at start
    /// with a message that names the setting.
    /// </summary>
    public static AuthenticationBuilder AddLatchkey(this AuthenticationBuilder builder, Action<LatchkeyBearerOptions>? configure = null) =>
        builder.AddLatchkey(LatchkeyDefaults.AuthenticationScheme, configure);

    /// <summary>Adds the Latchkey bearer scheme under another scheme name (e.g. to accept tokens from two tenants).</summary>
    public static AuthenticationBuilder AddLatchkey(this AuthenticationBuilder builder, string scheme, Action<LatchkeyBearerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<LatchkeyBearerOptions>, LatchkeyBearerPostConfigure>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LatchkeyBearerOptions>, LatchkeyBearerOptionsValidator>());
        var options = builder.Services.AddOptions<LatchkeyBearerOptions>(scheme).BindConfiguration(LatchkeyDefaults.ConfigurationSection);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        builder.Services.AddSingleton<IHostedService>(sp => new MetadataWarmup(
            sp.GetRequiredService<IOptionsMonitor<LatchkeyBearerOptions>>(), scheme, sp.GetRequiredService<ILogger<MetadataWarmup>>()));
        return builder.AddScheme<LatchkeyBearerOptions, LatchkeyBearerHandler>(scheme, displayName: "Latchkey", configureOptions: null);
    }
}
