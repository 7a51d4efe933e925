using Acornima;
using Acornima.Ast;
using Jint;

namespace Latchkey.Server.Actions;

/// <summary>
/// An Action's code as Jint sees it: parsed once (<see cref="Prepare"/>, cached per deployed version by
/// <see cref="ActionCatalog"/>) and checked before it is stored or deployed (<see cref="Problem"/>): it must parse, and it
/// must not <c>require</c> a module — the sandbox has no packages, and saying so at deploy time names the module
/// instead of failing logins later.
/// </summary>
public static class ActionScript
{
    /// <summary>Auth0's limit on an Action's code.</summary>
    public const int MaxCodeLength = 100 * 1024;

    public static Prepared<Script> Prepare(string code, string name) =>
        Engine.PrepareScript(code, name, strict: false);

    /// <summary>What keeps <paramref name="code"/> from running, with its line, or null when it can be deployed.</summary>
    public static string? Problem(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (code.Length > MaxCodeLength)
        {
            return $"must be at most {MaxCodeLength} characters";
        }

        Prepared<Script> prepared;
        try
        {
            prepared = Prepare(code, "action.js");
        }
        catch (ScriptPreparationException ex)
        {
            return ex.InnerException is ParseErrorException parse
                ? $"does not compile: line {parse.LineNumber}, column {parse.Column + 1}: {parse.Description}"
                : $"does not compile: {ex.Message}";
        }

        foreach (var node in prepared.Program!.DescendantNodes())
        {
            if (node is CallExpression { Callee: Identifier { Name: "require" } } call)
            {
                var module = call.Arguments.Count > 0 && call.Arguments[0] is StringLiteral literal ? literal.Value : "(computed)";
                return $"line {call.Location.Start.Line}: require('{module}') is not available: Actions in Latchkey cannot load modules (docs/actions.md)";
            }
        }

        return null;
    }
}
