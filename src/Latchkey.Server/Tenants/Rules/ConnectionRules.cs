using Latchkey.Server.Users;

namespace Latchkey.Server.Tenants.Rules;

/// <summary>
/// What the database connection's options may be: Auth0's <c>passwordPolicy</c> names, and a
/// <c>password_complexity_options.min_length</c> between Latchkey's floor (<see cref="PasswordPolicy.MinLength"/>, NIST
/// SP 800-63B §3.1.1.2; Auth0 allows 1) and <see cref="PasswordPolicy.MaxLength"/>.
/// </summary>
internal static class ConnectionRules
{
    public static List<RuleProblem> Check(string? passwordPolicy, int? minLength, string path = "options")
    {
        var problems = new List<RuleProblem>();
        if (passwordPolicy is not null && !PasswordRequirements.Strengths.Contains(passwordPolicy, StringComparer.Ordinal))
        {
            problems.Add(new RuleProblem(RulePath.Join(path, "passwordPolicy"), $"No enum match for: \"{passwordPolicy}\""));
        }

        var lengthPath = RulePath.Join(RulePath.Join(path, "password_complexity_options"), "min_length");
        if (minLength < PasswordPolicy.MinLength)
        {
            problems.Add(new RuleProblem(lengthPath, $"Value {minLength} is less than minimum {PasswordPolicy.MinLength}"));
        }
        else if (minLength > PasswordPolicy.MaxLength)
        {
            problems.Add(new RuleProblem(lengthPath, $"Value {minLength} is greater than maximum {PasswordPolicy.MaxLength}"));
        }

        return problems;
    }
}
