using System.Collections.Immutable;
using System.Security.Cryptography;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.History.Integrity;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Tests.Lifecycle;

namespace Orchestrator.Core.Tests.History.Integrity;

public class InputCipherTests
{
    private static readonly InputCipher Cipher = new(RandomNumberGenerator.GetBytes(32));
    private static readonly ImmutableDictionary<string, string> Input =
        ImmutableDictionary<string, string>.Empty.Add("command", "curl -H 'Authorization: Bearer abc123secretvalue' https://x");

    [Fact]
    public void The_real_input_opens_for_its_own_call_only_and_is_not_readable_as_stored()
    {
        var sealedInput = Cipher.Seal(new CallId("c-1"), Input);

        Assert.Equal(Input, Cipher.Open(new CallId("c-1"), sealedInput));
        Assert.Null(Cipher.Open(new CallId("c-2"), sealedInput));
        Assert.Null(new InputCipher(RandomNumberGenerator.GetBytes(32)).Open(new CallId("c-1"), sealedInput));
        Assert.DoesNotContain("abc123secretvalue", sealedInput, StringComparison.Ordinal);
        Assert.Null(Cipher.Open(new CallId("c-1"), "not base64!"));
    }

    [Fact]
    public void A_masked_call_recovered_with_the_key_keeps_its_real_input_and_without_it_is_lost()
    {
        var call = CallFixtures.Bash("curl -H 'Authorization: Bearer abc123secretvalue' https://x");
        var received = CallLifecycle.Receive(CallState.New(call.Id), call, CallIntent.Execute, decision: null, CallFixtures.T0, Cipher);
        var recorded = Assert.IsType<Orchestrator.Core.History.Events.CallReceived>(Assert.Single(received.Events));
        Assert.True(recorded.MaskedSecrets > 0);
        Assert.DoesNotContain("abc123secretvalue", recorded.Call.Input["command"], StringComparison.Ordinal);

        var withKey = RecoveryView.Of(call.Id, received.Events, CallFixtures.T0, cipher: Cipher);
        Assert.False(withKey.State.OriginalInputLost);
        Assert.Equal(call.Input, CallLifecycle.RealCall(recorded, Cipher)?.Input);

        var withoutKey = RecoveryView.Of(call.Id, received.Events, CallFixtures.T0);
        Assert.True(withoutKey.State.OriginalInputLost);
    }
}
