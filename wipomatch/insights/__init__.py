"""Network-quality measures, dashboards, the periodic report and exports."""
