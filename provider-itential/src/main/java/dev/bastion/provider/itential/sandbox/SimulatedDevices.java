package dev.bastion.provider.itential.sandbox;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * What a simulated device prints for a command, by its OS (Cisco IOS XE, Cisco NX-OS, Juniper
 * Junos), and its running configuration. Each device's serial numbers, uptime and interface states
 * follow from its seed, so the same device always answers the same way (its clock and uptime move
 * with the sandbox's clock). A command the OS does not know gets that OS's CLI error.
 */
final class SimulatedDevices {

    static final String IOS = "cisco-ios";
    static final String NXOS = "cisco-nxos";
    static final String JUNOS = "juniper-junos";

    private static final Pattern IPV4 = Pattern.compile(
            "^(25[0-5]|2[0-4][0-9]|1?[0-9]{1,2})(\\.(25[0-5]|2[0-4][0-9]|1?[0-9]{1,2})){3}$");
    private static final String UNREACHABLE_NET = "203.0.113.";
    private static final List<String> IOS_COMMANDS = List.of("show version", "show ip interface brief",
            "show inventory", "show clock", "ping *", "traceroute *");
    private static final List<String> NXOS_COMMANDS = List.of("show version", "show interface brief",
            "show ip interface brief", "show inventory", "show clock", "ping *", "traceroute *");
    private static final List<String> JUNOS_COMMANDS = List.of("show version", "show interfaces terse",
            "show interfaces brief", "show chassis hardware", "show system uptime", "ping *", "traceroute *");

    /** A command's output, and whether the device accepted the command. */
    record Output(String text, boolean accepted) {
    }

    private SimulatedDevices() {
    }

    /** What {@code device} prints for {@code command} at {@code nowMillis}. */
    static Output run(ItentialSandboxData.Device device, String command, long nowMillis) {
        String normalized = command.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        List<String> words = Arrays.asList(normalized.split(" "));
        Facts facts = new Facts(device, nowMillis);
        String target = words.size() == 2 ? command.trim().split("\\s+")[1] : "";
        String text = switch (device.ostype()) {
            case IOS -> switch (normalized) {
                case "show version" -> facts.iosVersion();
                case "show ip interface brief" -> facts.iosInterfaces();
                case "show inventory" -> "NAME: \"Chassis\", DESCR: \"Cisco C8000V Chassis\"\nPID: C8000V            ,"
                        + " VID: V00  , SN: " + facts.serial + "\n";
                case "show clock" -> "*" + clock(nowMillis, "HH:mm:ss.SSS 'UTC' EEE MMM d yyyy") + "\n";
                default -> words.size() == 2 && words.get(0).equals("ping") ? ping(target, true)
                        : words.size() == 2 && words.get(0).equals("traceroute") ? traceroute(target, facts) : null;
            };
            case NXOS -> switch (normalized) {
                case "show version" -> facts.nxosVersion();
                case "show interface brief" -> facts.nxosInterfaces();
                case "show ip interface brief" -> "IP Interface Status for VRF \"default\"(1)\n"
                        + "Interface            IP Address      Interface Status\n"
                        + String.format(Locale.ROOT, "%-20s %-15s %s%n", "Vlan10", facts.lanAddress,
                                "protocol-up/link-up/admin-up")
                        + String.format(Locale.ROOT, "%-20s %-15s %s%n", "Lo0", facts.loopback,
                                "protocol-up/link-up/admin-up");
                case "show inventory" -> "NAME: \"Chassis\",  DESCR: \"Nexus9000 C93180YC-FX Chassis\"\n"
                        + "PID: N9K-C93180YC-FX     ,  VID: V02 ,  SN: " + facts.serial + "\n";
                case "show clock" -> clock(nowMillis, "HH:mm:ss.SSS 'UTC' EEE MMM dd yyyy") + "\nTime source is NTP\n";
                default -> words.size() == 2 && words.get(0).equals("ping") ? ping(target, false)
                        : words.size() == 2 && words.get(0).equals("traceroute") ? traceroute(target, facts) : null;
            };
            default -> switch (normalized) {
                case "show version" -> facts.junosVersion();
                case "show interfaces terse", "show interfaces brief" -> facts.junosInterfaces();
                case "show chassis hardware" -> facts.junosChassis();
                case "show system uptime" -> "Current time: " + clock(nowMillis, "yyyy-MM-dd HH:mm:ss 'UTC'")
                        + "\nTime Source:  NTP CLOCK\nSystem booted: " + clock(facts.bootMillis, "yyyy-MM-dd HH:mm:ss 'UTC'")
                        + " (" + facts.uptime(nowMillis) + " ago)\n";
                default -> words.size() == 2 && words.get(0).equals("ping") ? ping(target, false)
                        : words.size() == 2 && words.get(0).equals("traceroute") ? traceroute(target, facts) : null;
            };
        };
        if (text != null) {
            return new Output(text, !text.startsWith("% "));
        }
        return new Output(cliError(device.ostype(), normalized, words), false);
    }

    /** The device's running configuration, including the hashed secrets a real one holds. */
    static String configuration(ItentialSandboxData.Device device) {
        Facts facts = new Facts(device, 0);
        return switch (device.ostype()) {
            case IOS -> "!\nversion 17.3\nservice timestamps debug datetime msec\nservice password-encryption\n"
                    + "hostname " + device.name() + "\n!\nenable secret 5 " + facts.md5Crypt() + "\n!\n"
                    + "username netops privilege 15 secret 5 " + facts.md5Crypt() + "\n!\n"
                    + "interface GigabitEthernet1\n ip address " + device.address() + " 255.255.255.0\n no shutdown\n!\n"
                    + "interface GigabitEthernet2\n ip address " + facts.lanAddress + " 255.255.255.0\n no shutdown\n!\n"
                    + "interface GigabitEthernet3\n" + (facts.thirdPortDown ? " shutdown\n" : " no shutdown\n") + "!\n"
                    + "interface Loopback0\n ip address " + facts.loopback + " 255.255.255.255\n!\n"
                    + "snmp-server community " + facts.community + " RO\nntp server 192.0.2.123\n"
                    + "line vty 0 4\n transport input ssh\n!\nend\n";
            case NXOS -> "!Command: show running-config\nversion 9.3(12) Bios:version 05.47\n"
                    + "hostname " + device.name() + "\nfeature interface-vlan\nfeature lacp\n\n"
                    + "username admin password 5 " + facts.sha256Crypt() + " role network-admin\n"
                    + "snmp-server community " + facts.community + " group network-operator\n\n"
                    + "vlan 1,10,20\n\ninterface Vlan10\n  no shutdown\n  ip address " + facts.lanAddress + "/24\n\n"
                    + "interface Ethernet1/1\n  switchport mode trunk\n\ninterface Ethernet1/2\n  switchport mode trunk\n\n"
                    + "interface mgmt0\n  vrf member management\n  ip address " + device.address() + "/24\n";
            default -> "system {\n    host-name " + device.name() + ";\n    root-authentication {\n"
                    + "        encrypted-password \"" + facts.sha256Crypt() + "\"; ## SECRET-DATA\n    }\n"
                    + "    services {\n        ssh;\n        netconf {\n            ssh;\n        }\n    }\n}\n"
                    + "interfaces {\n    ge-0/0/0 {\n        unit 0 {\n            family inet {\n"
                    + "                address " + device.address() + "/24;\n            }\n        }\n    }\n"
                    + "    lo0 {\n        unit 0 {\n            family inet {\n                address " + facts.loopback
                    + "/32;\n            }\n        }\n    }\n}\n"
                    + "snmp {\n    community " + facts.community + " {\n        authorization read-only;\n    }\n}\n";
        };
    }

    private static String cliError(String ostype, String normalized, List<String> words) {
        List<String> known = switch (ostype) {
            case IOS -> IOS_COMMANDS;
            case NXOS -> NXOS_COMMANDS;
            default -> JUNOS_COMMANDS;
        };
        int matched = 0;
        for (String candidate : known) {
            String[] expected = candidate.split(" ");
            int m = 0;
            while (m < expected.length && m < words.size()
                    && (expected[m].equals("*") || expected[m].equals(words.get(m)))) {
                m++;
            }
            matched = Math.max(matched, m);
        }
        int column = 0;
        for (int i = 0; i < matched && i < words.size(); i++) {
            column += words.get(i).length() + 1;
        }
        column = Math.min(column, normalized.length());
        String marker = normalized + "\n" + " ".repeat(column) + "^\n";
        return switch (ostype) {
            case IOS -> marker + "% Invalid input detected at '^' marker.\n";
            case NXOS -> marker + "% Invalid command at '^' marker.\n";
            default -> marker + "syntax error, expecting <command>.\n";
        };
    }

    private static String ping(String target, boolean ios) {
        if (!IPV4.matcher(target).matches()) {
            return ios ? "% Unrecognized host or address, or protocol not running.\n"
                    : "% Invalid host/interface " + target + "\n";
        }
        boolean reachable = !target.startsWith(UNREACHABLE_NET);
        if (ios) {
            return "Type escape sequence to abort.\nSending 5, 100-byte ICMP Echos to " + target
                    + ", timeout is 2 seconds:\n" + (reachable ? "!!!!!\nSuccess rate is 100 percent (5/5),"
                    + " round-trip min/avg/max = 1/2/4 ms\n" : ".....\nSuccess rate is 0 percent (0/5)\n");
        }
        StringBuilder out = new StringBuilder("PING " + target + " (" + target + "): 56 data bytes\n");
        for (int i = 0; reachable && i < 5; i++) {
            out.append("64 bytes from ").append(target).append(": icmp_seq=").append(i)
                    .append(" ttl=62 time=").append(1 + i % 3).append(".214 ms\n");
        }
        out.append("\n--- ").append(target).append(" ping statistics ---\n5 packets transmitted, ")
                .append(reachable ? "5 packets received, 0.00% packet loss\n" : "0 packets received, 100.00% packet loss\n");
        return out.toString();
    }

    private static String traceroute(String target, Facts facts) {
        if (!IPV4.matcher(target).matches()) {
            return "% Unrecognized host or address, or protocol not running.\n";
        }
        StringBuilder out = new StringBuilder("traceroute to " + target + " (" + target + "), 30 hops max\n");
        out.append(" 1  ").append(facts.gateway).append("  1.102 ms  0.981 ms  0.944 ms\n");
        out.append(target.startsWith(UNREACHABLE_NET) ? " 2  * * *\n 3  * * *\n"
                : " 2  " + target + "  2.417 ms  2.205 ms  2.198 ms\n");
        return out.toString();
    }

    private static String clock(long epochMillis, String pattern) {
        return DateTimeFormatter.ofPattern(pattern, Locale.ROOT).withZone(ZoneOffset.UTC)
                .format(Instant.ofEpochMilli(epochMillis));
    }

    /** A device's seeded particulars. */
    private static final class Facts {
        final ItentialSandboxData.Device device;
        final long nowMillis;
        final Random random;
        final String serial;
        final long bootMillis;
        final String lanAddress;
        final String gateway;
        final String loopback;
        final boolean thirdPortDown;
        final boolean errDisabled;
        final String community;

        Facts(ItentialSandboxData.Device device, long nowMillis) {
            this.device = device;
            this.nowMillis = nowMillis;
            this.random = new Random(device.seed());
            this.serial = serial(11);
            this.bootMillis = device.bootMillis();
            int subnet = random.nextInt(250);
            this.lanAddress = "172.16." + subnet + ".1";
            this.gateway = "172.16." + subnet + ".254";
            this.loopback = "10.255." + random.nextInt(256) + "." + (1 + random.nextInt(254));
            this.thirdPortDown = random.nextInt(3) == 0;
            this.errDisabled = random.nextInt(5) == 0;
            this.community = serial(12).toLowerCase(Locale.ROOT);
        }

        String serial(int length) {
            String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < length; i++) {
                out.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            return out.toString();
        }

        String md5Crypt() {
            return "$1$" + serial(4).toLowerCase(Locale.ROOT) + "$" + serial(22);
        }

        String sha256Crypt() {
            return "$5$" + serial(8).toLowerCase(Locale.ROOT) + "$" + serial(43);
        }

        String uptime(long nowMillis) {
            long minutes = (nowMillis - bootMillis) / 60_000;
            long weeks = minutes / (7 * 24 * 60);
            long days = minutes / (24 * 60) % 7;
            long hours = minutes / 60 % 24;
            List<String> parts = new ArrayList<>();
            if (weeks > 0) {
                parts.add(weeks + (weeks == 1 ? " week" : " weeks"));
            }
            parts.add(days + (days == 1 ? " day" : " days"));
            parts.add(hours + (hours == 1 ? " hour" : " hours"));
            parts.add(minutes % 60 + (minutes % 60 == 1 ? " minute" : " minutes"));
            return String.join(", ", parts);
        }

        String iosVersion() {
            return "Cisco IOS XE Software, Version 17.03.04a\n"
                    + "Cisco IOS Software [Amsterdam], Virtual XE Software (X86_64_LINUX_IOSD-UNIVERSALK9-M),"
                    + " Version 17.3.4a, RELEASE SOFTWARE (fc3)\nTechnical Support: http://www.cisco.com/techsupport\n"
                    + "Copyright (c) 1986-2021 by Cisco Systems, Inc.\n\nROM: IOS-XE ROMMON\n\n"
                    + device.name() + " uptime is " + uptime(nowMillis) + "\n"
                    + "System image file is \"bootflash:packages.conf\"\n\n"
                    + "cisco C8000V (VXE) processor (revision VXE) with 1987217K/3075K bytes of memory.\n"
                    + "Processor board ID " + serial + "\n4 Gigabit Ethernet interfaces\n"
                    + "Configuration register is 0x2102\n";
        }

        String iosInterfaces() {
            String row = "%-22s %-15s YES %-6s %-21s %s%n";
            return String.format(Locale.ROOT, "%-22s %-15s OK? Method %-21s %s%n", "Interface", "IP-Address",
                    "Status", "Protocol")
                    + String.format(Locale.ROOT, row, "GigabitEthernet1", device.address(), "NVRAM", "up", "up")
                    + String.format(Locale.ROOT, row, "GigabitEthernet2", lanAddress, "NVRAM", "up", "up")
                    + String.format(Locale.ROOT, row, "GigabitEthernet3", "unassigned", "NVRAM",
                            thirdPortDown ? "administratively down" : "up", thirdPortDown ? "down" : "up")
                    + String.format(Locale.ROOT, row, "GigabitEthernet4", "unassigned", "unset", "down", "down")
                    + String.format(Locale.ROOT, row, "Loopback0", loopback, "NVRAM", "up", "up");
        }

        String nxosVersion() {
            long seconds = (nowMillis - bootMillis) / 1000;
            return "Cisco Nexus Operating System (NX-OS) Software\nTAC support: http://www.cisco.com/tac\n"
                    + "Copyright (C) 2002-2023, Cisco and/or its affiliates.\nAll rights reserved.\n\n"
                    + "Software\n  BIOS: version 05.47\n  NXOS: version 9.3(12)\n"
                    + "  NXOS image file is: bootflash:///nxos.9.3.12.bin\n\n"
                    + "Hardware\n  cisco Nexus9000 C93180YC-FX Chassis\n"
                    + "  Intel(R) Xeon(R) CPU D-1528 @ 1.90GHz with 24569356 kB of memory.\n"
                    + "  Processor Board ID " + serial + "\n\n  Device name: " + device.name() + "\n"
                    + "  bootflash: 53298520 kB\n"
                    + String.format(Locale.ROOT, "Kernel uptime is %d day(s), %d hour(s), %d minute(s), %d second(s)%n",
                            seconds / 86_400, seconds / 3600 % 24, seconds / 60 % 60, seconds % 60);
        }

        String nxosInterfaces() {
            String rule = "-".repeat(80) + "\n";
            String row = "%-13s %-7s eth  %-6s %-7s %-24s %-9s --%n";
            return rule + "Port   VRF          Status IP Address                              Speed    MTU\n" + rule
                    + String.format(Locale.ROOT, "%-6s %-12s %-6s %-39s %-8s %s%n", "mgmt0", "--", "up",
                            device.address(), "1000", "1500")
                    + "\n" + rule + "Ethernet      VLAN    Type Mode   Status  Reason                   Speed     Port\n"
                    + "Interface                                                                    Ch #\n" + rule
                    + String.format(Locale.ROOT, row, "Eth1/1", "1", "trunk", "up", "none", "10G(D)")
                    + String.format(Locale.ROOT, row, "Eth1/2", "1", "trunk", "up", "none", "10G(D)")
                    + String.format(Locale.ROOT, row, "Eth1/3", "10", "access", "down",
                            errDisabled ? "linkFlapErrDisabled" : "Link not connected", "auto(D)")
                    + String.format(Locale.ROOT, row, "Eth1/4", "20", "access", "up", "none", "1000(D)");
        }

        String junosVersion() {
            return "Hostname: " + device.name() + "\nModel: " + model() + "\nJunos: 21.4R3-S5.4\n"
                    + "JUNOS OS Kernel 64-bit  [20230621.6b7d8a1_builder_stable_12]\n"
                    + "JUNOS OS libs [20230621.6b7d8a1_builder_stable_12]\n"
                    + "JUNOS OS runtime [20230621.6b7d8a1_builder_stable_12]\n";
        }

        String junosInterfaces() {
            String row = "%-23s %-5s %-4s %-8s %s%n";
            return String.format(Locale.ROOT, row, "Interface", "Admin", "Link", "Proto", "Local")
                    + String.format(Locale.ROOT, row, "ge-0/0/0", "up", "up", "", "")
                    + String.format(Locale.ROOT, row, "ge-0/0/0.0", "up", "up", "inet", device.address() + "/24")
                    + String.format(Locale.ROOT, row, "ge-0/0/1", thirdPortDown ? "down" : "up", "down", "", "")
                    + String.format(Locale.ROOT, row, "ge-0/0/2", "up", "up", "", "")
                    + String.format(Locale.ROOT, row, "ge-0/0/2.0", "up", "up", "inet", lanAddress + "/24")
                    + String.format(Locale.ROOT, row, "lo0.0", "up", "up", "inet", loopback)
                    + String.format(Locale.ROOT, row, "fxp0", "up", "up", "", "");
        }

        String junosChassis() {
            String row = "%-16s %-8s %-12s %-17s %s%n";
            return "Hardware inventory:\n"
                    + String.format(Locale.ROOT, row, "Item", "Version", "Part number", "Serial number", "Description")
                    + String.format(Locale.ROOT, row, "Chassis", "", "", serial, model().toUpperCase(Locale.ROOT))
                    + String.format(Locale.ROOT, row, "Routing Engine 0", "REV 09", "750-069579", serial(10),
                            "RE-S-1600x8")
                    + String.format(Locale.ROOT, row, "FPC 0", "REV 21", "750-070288", serial(10), "MPC7E 3D 40XGE");
        }

        private String model() {
            return device.name().startsWith("fw-") ? "srx345" : "mx204";
        }
    }
}
