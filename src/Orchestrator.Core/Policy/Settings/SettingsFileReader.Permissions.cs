using Orchestrator.Core.Policy.Rules;

namespace Orchestrator.Core.Policy.Settings;

public static partial class SettingsFileReader
{
    private sealed partial class Reader
    {
        private LayerSettings ReadPermissions(PositionedJson value, LayerSettings result)
        {
            if (value is not JsonObjectValue permissions)
            {
                Error(value.Location, $"'permissions' must be an object, found {value.KindName}");
                return result;
            }
            foreach (var member in permissions.Members)
            {
                switch (member.Name)
                {
                    case "allow": ReadRules(member.Value, RuleDecision.Allow); break;
                    case "ask": ReadRules(member.Value, RuleDecision.Ask); break;
                    case "deny": ReadRules(member.Value, RuleDecision.Deny); break;
                    case "defaultMode":
                        result = ReadMode(member.Value, result);
                        break;
                    case "additionalDirectories":
                        result = result with { AdditionalDirectories = Strings(member.Value) };
                        break;
                    case "disableBypassPermissionsMode":
                        if (DisableFlag(member) is { } disableBypass) result = result with { DisableBypassPermissionsMode = disableBypass };
                        break;
                    case "disableAutoMode":
                        if (DisableFlag(member) is { } disableAuto) result = result with { DisableAutoMode = disableAuto };
                        break;
                    default:
                        _warnings.Add(new PolicyLoadError(member.NameLocation, $"unknown permissions setting '{member.Name}' is ignored"));
                        break;
                }
            }
            return result;
        }

        /// <summary>Claude Code's <c>"disable"</c>-valued switches; any other value is an error.</summary>
        private Sourced<bool>? DisableFlag(JsonMember member)
        {
            if (String(member.Value) is not { } text) return null;
            if (text == "disable") return Sourced(true, member.Value);
            Error(member.Value.Location, $"'{member.Name}' accepts only \"disable\"");
            return null;
        }

        /// <summary>
        /// A mode name we do not know (Claude Code adds modes) is a warning and sets nothing: the next layer's mode or
        /// the default applies. A value that is not a string is an error.
        /// </summary>
        private LayerSettings ReadMode(PositionedJson value, LayerSettings result)
        {
            if (String(value) is not { } modeName) return result;
            if (PermissionMode.Find(modeName) is { } mode) return ApplyMode(result, mode, value);
            _warnings.Add(new PolicyLoadError(value.Location,
                $"unknown mode '{modeName}' is ignored (the mode of a lower layer or the default applies); known modes: {PermissionMode.Names}"));
            return result;
        }

        private LayerSettings ApplyMode(LayerSettings result, PermissionMode mode, PositionedJson at)
        {
            // Within one layer an explicit approvalPolicy wins over the one a named mode implies, whatever the order.
            result = result with
            {
                Sandbox = Sourced(mode.Sandbox, at), AcceptEdits = Sourced(mode.AcceptEdits, at),
                AutoMode = mode.Name == PermissionMode.Auto ? Sourced(true, at) : null,
            };
            if (mode.Approval is { } approval && result.Approval is null)
                result = result with { Approval = Sourced(approval, at) };
            return result;
        }

        private void ReadRules(PositionedJson value, RuleDecision decision)
        {
            if (value is not JsonArrayValue array)
            {
                Error(value.Location, $"permission rules must be an array of strings, found {value.KindName}");
                return;
            }
            foreach (var item in array.Items)
            {
                if (item is not JsonStringValue text)
                {
                    Error(item.Location, $"a permission rule must be a string, found {item.KindName}");
                    continue;
                }
                var origin = new RuleOrigin(layer, item.Location);
                var parsed = RuleParser.Parse(text.Value, decision, origin, context);
                if (parsed.Rule is null)
                {
                    // +1 for the opening quote of the JSON string.
                    var at = item.Location with { Column = item.Location.Column + 1 + parsed.ErrorOffset };
                    ReportRuleProblem(at, text.Value, decision, parsed);
                    continue;
                }
                if (!RuleParser.IsKnownTool(parsed.Rule.Tool))
                    _warnings.Add(new PolicyLoadError(item.Location,
                        $"rule \"{text.Value}\" names tool '{parsed.Rule.Tool}', which no known tool has (tool names are case-sensitive)" +
                        (KnownTools.Suggest(parsed.Rule.Tool) is { } known ? $"; did you mean '{known}'?" : "")));
                _rules.Add(parsed.Rule);
            }
        }

        /// <summary>
        /// A rule that never matches (Claude Code gives it no effect either) is skipped with a warning, whatever its
        /// decision. A malformed allow rule is skipped with a warning too: without it the call only asks. A malformed
        /// deny or ask rule is an error: its author meant to restrict something we cannot read, so the layer fails
        /// closed rather than drop the restriction.
        /// </summary>
        private void ReportRuleProblem(SourceLocation at, string text, RuleDecision decision, RuleParser.Result parsed)
        {
            var kind = decision.ToString().ToLowerInvariant();
            if (parsed.Problem == RuleProblem.Malformed && decision != RuleDecision.Allow)
            {
                Error(at, $"invalid {kind} rule \"{text}\": {parsed.Error}");
                return;
            }
            var consequence = decision switch
            {
                RuleDecision.Deny => "SKIPPED: what it seems to name is NOT denied",
                RuleDecision.Ask => "SKIPPED: what it seems to name is NOT asked for",
                _ => "skipped",
            };
            _warnings.Add(new PolicyLoadError(at, $"{kind} rule \"{text}\" {consequence}: {parsed.Error}"));
        }
    }
}
