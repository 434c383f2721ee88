import bftsmart.demo.map.MapRequestType;
import bftsmart.tom.ServiceProxy;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A line protocol between Synod's Node workload driver and BFT-SMaRt's map demo
 * (bftsmart.demo.map.MapServer), so that both systems run the same closed-loop workload.
 *
 * <p>Arguments: the config directory (hosts.config, system.config, keys), the number of logical
 * clients and the first BFT-SMaRt client id. Each logical client owns one ServiceProxy (its own
 * client id, so BFT-SMaRt orders its requests separately) and one thread: the driver never has
 * two operations of one client open at once, and the thread keeps it that way here too.
 *
 * <p>stdin, one request a line: {@code <client> <req> put <key> <value>} or
 * {@code <client> <req> get <key>} (keys and values without spaces). stdout, one answer a line,
 * each after the tag {@code SYNOD } (BFT-SMaRt's own log lines share stdout):
 * {@code <req> ok <value>|-} ({@code -}: the key had no value; for a put, the map demo answers the
 * previous value, which the driver ignores), or {@code <req> timeout} when ServiceProxy gave up
 * (invokeOrdered returned null: the outcome is unknown), or {@code <req> error <message>}.
 * Every operation, reads included, goes through invokeOrdered: unordered reads in BFT-SMaRt are
 * not linearizable, and the point is to compare linearizable services.
 */
public final class SynodMapBridge {
  /** BFT-SMaRt logs to stdout too: the driver reads only lines with this tag. */
  private static final String TAG = "SYNOD ";

  private SynodMapBridge() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: SynodMapBridge <config dir> <clients> <first client id> <invoke timeout s>");
      System.exit(2);
    }
    final String config = args[0];
    final int clients = Integer.parseInt(args[1]);
    final int firstId = Integer.parseInt(args[2]);
    final int timeoutS = Integer.parseInt(args[3]);
    final PrintStream out = new PrintStream(System.out, true, "UTF-8");
    final ServiceProxy[] proxies = new ServiceProxy[clients];
    final ExecutorService[] lanes = new ExecutorService[clients];
    for (int c = 0; c < clients; c++) {
      proxies[c] = new ServiceProxy(firstId + c, config);
      proxies[c].setInvokeTimeout(timeoutS);
      lanes[c] = Executors.newSingleThreadExecutor();
    }
    synchronized (out) {
      out.println(TAG + "ready " + clients);
    }
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      final String[] f = line.trim().split(" ");
      if (f.length < 4) {
        synchronized (out) {
          out.println(TAG + "? error malformed request line: " + line);
        }
        continue;
      }
      final int c = Integer.parseInt(f[0]);
      final String req = f[1];
      lanes[c].submit(() -> {
        String answer;
        try {
          answer = run(proxies[c], f);
        } catch (Exception e) {
          answer = "error " + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        synchronized (out) {
          out.println(TAG + req + " " + answer);
        }
      });
    }
    // stdin closed: finish what was asked, then leave.
    for (ExecutorService lane : lanes) lane.shutdown();
    for (ExecutorService lane : lanes) lane.awaitTermination(timeoutS + 5L, TimeUnit.SECONDS);
    for (ServiceProxy p : proxies) p.close();
    System.exit(0);
  }

  private static String run(ServiceProxy proxy, String[] f) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
      switch (f[2]) {
        case "put":
          o.writeObject(MapRequestType.PUT);
          o.writeObject(f[3]);
          o.writeObject(f[4]);
          break;
        case "get":
          o.writeObject(MapRequestType.GET);
          o.writeObject(f[3]);
          break;
        default:
          return "error unknown operation " + f[2];
      }
    }
    byte[] reply = proxy.invokeOrdered(bytes.toByteArray());
    if (reply == null) return "timeout";
    if (reply.length == 0) return "ok -";
    try (ObjectInputStream i = new ObjectInputStream(new ByteArrayInputStream(reply))) {
      return "ok " + i.readObject();
    }
  }
}
