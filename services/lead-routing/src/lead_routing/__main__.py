import sys

from crm_shared.runtime import main
from lead_routing.bootstrap import build
from lead_routing.config import SERVICE, Settings

if __name__ == "__main__":
    sys.exit(main(SERVICE, __file__, Settings, build))
