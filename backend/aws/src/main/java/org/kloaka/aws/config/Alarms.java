package org.kloaka.aws.config;

import java.time.Clock;
import org.kloaka.aws.dynamo.DynamoDeviceStore;
import org.kloaka.aws.dynamo.DynamoPendingStore;
import org.kloaka.aws.dynamo.DynamoProblemStore;
import org.kloaka.aws.dynamo.DynamoSilenceWatch;
import org.kloaka.core.AlarmRules;
import org.kloaka.core.Inspector;
import org.kloaka.core.Neighbours;
import org.kloaka.core.Silence;
import org.kloaka.core.app.InspectPairs;
import org.kloaka.core.app.SweepSilentSensors;
import org.kloaka.core.port.ChangeFeed;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The alarm rules (docs/problems.md) wired on DynamoDB as the local runtime wires them on SQLite:
 * the stream inspector's {@link InspectPairs} with the confirmation window and silent sensors'
 * recovery, and the scheduled sweep. The alarm-state table ({@value Settings#ALARM_STATE_TABLE}) is
 * needed only by what uses it: the waits when {@code KLOAKA_CONFIRM_AFTER} is on, and the sweep.
 */
public final class Alarms {

  private final DynamoDbClient db;
  private final Settings settings;
  private final Clock clock;
  private final AlarmRules rules;
  private final DynamoDeviceStore devices;
  private final DynamoProblemStore problems;
  private final Silence silence;

  public Alarms(DynamoDbClient db, Settings settings, Clock clock) {
    this.db = db;
    this.settings = settings;
    this.clock = clock;
    this.rules = settings.alarms();
    Stores stores = Stores.of(db, settings, clock);
    this.devices = stores.devices();
    this.problems = stores.problems();
    this.silence = new Silence(devices, problems, clock, rules.silentAfter());
  }

  public AlarmRules rules() {
    return rules;
  }

  /** The devices stream's use case: pairs evaluated, waits kept, silences ended. */
  public InspectPairs inspectPairs(Neighbours neighbours) {
    DynamoPendingStore pending =
        rules.confirming()
            ? new DynamoPendingStore(db, settings.required(Settings.ALARM_STATE_TABLE))
            : null;
    return new InspectPairs(
        new Inspector(devices, problems, neighbours, clock, pending, rules.confirmAfter()),
        silence);
  }

  /** The scheduled sweep; its pushes come from the problems table's stream, as every other's. */
  public SweepSilentSensors sweep() {
    return new SweepSilentSensors(
        silence,
        new DynamoSilenceWatch(
            db,
            settings.required(Settings.DEVICES_TABLE),
            settings.required(Settings.ALARM_STATE_TABLE)),
        org.kloaka.core.port.Transactions.DIRECT,
        ChangeFeed.NONE,
        clock);
  }
}
